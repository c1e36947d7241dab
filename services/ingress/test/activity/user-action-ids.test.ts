import { describe, expect, it } from '@jest/globals';
import { translateActivity } from '../../src/activity/index.js';

const ctx = {
  correlationId: 'whd-test',
  accountIds: new Set(['1500000000000000001']),
  ingress: 'webhook' as const,
};

describe('follow, block and mute users written as full v1.1 user objects', () => {
  it('reads the exact id_str where id is a lossy number, instead of dropping to TWITTER_UNKNOWN', () => {
    // Prepare: 1500000000000000001 as a JSON number is 1500000000000000000 once parsed.
    const body = JSON.parse(`{
      "for_user_id": "1500000000000000001",
      "follow_events": [{
        "type": "unfollow",
        "created_timestamp": "1795309131619",
        "source": { "id": 783214, "id_str": "783214", "screen_name": "grace" },
        "target": { "id": 1500000000000000001, "id_str": "1500000000000000001", "screen_name": "murmurbot" }
      }]
    }`);

    // Act
    const { events, notes } = translateActivity(body, ctx);

    // Assess
    expect(notes).toEqual([]);
    expect(events.map((e) => e.entry.detailType)).toEqual(['TWITTER_UNFOLLOWED']);
    const payload = (
      events[0]!.entry.detail as { payload: { source: { id: string }; target: { id: string } } }
    ).payload;
    expect(payload.source.id).toBe('783214');
    expect(payload.target.id).toBe('1500000000000000001');
    expect(events[0]!.idempotencyKey).toContain(':783214:1500000000000000001:1795309131619');
  });
});
