// node-nlp ships no types; Murmur uses only NlpManager, typed where it is used (local-chatbot.ts).
declare module 'node-nlp' {
  const nodeNlp: { NlpManager: new (options: object) => unknown };
  export default nodeNlp;
}
