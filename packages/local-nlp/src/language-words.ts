// The commonest words of the languages Murmur meets most, including the informal ones of social
// posts. Trigram statistics alone misread short posts ("can you tell me a joke" scores as
// Hungarian), while a handful of function words settles them; language.ts blends the two,
// leaning on the words the shorter the text is.
const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));

export const COMMON_WORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: words(`
    the a an and or but is are was were be been am i you he she it we they me my your our their
    this that these those what when where who why how which can could would should will do does did
    don't dont doesn't didn't can't cant won't isn't not no yes to of in on at for with from by about
    as if so just like get got have has had there here all some any more very really too also only
    now then than up out one time day good great love hate thanks thank please hi hello hey lol omg
    lmao wtf ok okay im i'm it's you're ur u pls thx gonna wanna tell give know think want need make
    go going see look best worst ever never always today tomorrow new people much many way back
    after before because still again him her them us its his let me's what's that's there's nice wow
    job team awesome cool amazing fun cute yeah yep nope sorry guys man happy sad bad follow check
    free win game night morning life world work home thing stuff rt via damn shit fuck stupid`),
  es: words(`
    el la los las un una y o pero es son está están era fue ser de del al en con por para que qué
    como cómo muy más menos no sí yo tú él ella nosotros ellos me te se lo le les mi tu su este esta
    esto ese esa hay tiene tengo hace todo todos bien mal hola gracias buenos buenas días noche bueno
    malo porque cuando donde dónde quien quién también ya aquí ahora siempre nunca nada algo odio amo
    quiero puedo jaja jajaja servicio estoy eres mucho muchas hoy mañana vamos feliz amigo amiga
    genial pues eso así`),
  fr: words(`
    le la les un une des et ou mais est sont était être de du au aux en dans avec pour par sur que
    qui quoi comment très plus moins ne pas non oui je tu il elle nous vous ils elles me te se mon ton
    son ma ta sa mes ce cette ces c'est j'ai ça bonjour merci salut bien mal tout tous aussi toujours
    jamais rien quand où parce pourquoi avoir fait suis mdr beaucoup vraiment trop aujourd'hui
    demain encore voilà ici chez faire peut veux vais bonne bon nul`),
  de: words(`
    der die das ein eine einen und oder aber ist sind war sein nicht kein keine ja nein ich du er sie
    es wir ihr mich dich mir dir mein dein zu von mit für auf im am an bei nach aus wie was wer wo
    warum wann sehr mehr auch nur noch schon hallo danke bitte gut schlecht heute immer nie alles
    nichts dass wenn weil haben hat habe geht gibt kann viel vielen guten morgen tag geht's liebe
    toll`),
  it: words(`
    il lo la i gli le un una e o ma è sono era essere di del della dei in nel con per su che chi cosa
    come molto più meno non sì io tu lui lei noi voi loro mi ti si mio tuo suo questo questa quello
    ciao grazie buongiorno buonasera bene male tutto tutti anche sempre mai niente quando dove perché
    ho hai ha abbiamo fatto tanto oggi domani ancora bello bella amore`),
  pt: words(`
    o a os as um uma e ou mas é são era ser de do da dos das em no na com por para que quem como
    muito mais menos não sim eu você ele ela nós eles me te se meu minha seu sua este esta isso isto
    esse essa olá oi obrigado obrigada bom boa bem mal tudo todos também sempre nunca nada quando
    onde porque tem tenho fazer kkk vou hoje amanhã legal amor tô tá pra`),
  nl: words(`
    de het een en of maar is zijn was niet geen ja nee ik jij je hij zij wij mij me mijn jouw van met
    voor op in aan bij naar uit hoe wat wie waar waarom wanneer heel zeer meer ook alleen nog al
    hallo hoi dank bedankt alsjeblieft goed slecht vandaag altijd nooit alles niets dat als omdat heb
    heeft kan veel lekker leuk mooi`),
};
