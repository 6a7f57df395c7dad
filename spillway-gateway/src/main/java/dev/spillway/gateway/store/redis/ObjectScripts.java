package dev.spillway.gateway.store.redis;

/**
 * The Lua scripts behind {@link RedisObjectRegistry}; each runs atomically inside Redis, so an object and its owner's
 * index never disagree however many replicas write at once.
 *
 * <p><b>Keys.</b> An object is a hash {@code <prefix>id:<id>} with the fields {@code kind} (its wire name), {@code
 * owner}, {@code model}, {@code backend} and {@code created} (epoch millis), expiring (PEXPIRE) when its TTL from
 * {@code created} ends. Each owner's objects of one kind are indexed in a sorted set {@code
 * <prefix>owner:<kind>:<owner>}, member the id, score {@code created}; the set expires with its newest member (each
 * put extends it when needed). The kind comes before the owner, whose text is free, so no two (kind, owner) pairs
 * share a key. The scripts name the old owner's index, found in the object's hash, themselves rather than in KEYS, so
 * the registry targets standalone or sentinel Redis, not Redis Cluster (as the limit store does).
 *
 * <p><b>Time.</b> Expiry is decided against the caller's {@code now}: listing first drops index members whose {@code
 * created} is at or before {@code now - ttl} and the registry checks {@code created} on every read. Redis's own
 * expiry of the keys, on its clock, only reclaims the space; a member whose hash is gone or now belongs to another
 * owner or kind is dropped from the index when a listing meets it.
 */
final class ObjectScripts {
  private ObjectScripts() {}

  /**
   * Records one object. KEYS: the object, its owner's index. ARGV: id, kind, owner, model, backend, created, the TTL
   * left in ms (nothing is recorded when it is not positive, and any old record is removed), the index key prefix
   * ({@code <prefix>owner:}).
   */
  static final LuaScript PUT = new LuaScript("object-put", """
      local old = redis.call('HMGET', KEYS[1], 'kind', 'owner')
      if old[1] and old[2] then
        local oldIndex = ARGV[8] .. old[1] .. ':' .. old[2]
        if oldIndex ~= KEYS[2] then
          redis.call('ZREM', oldIndex, ARGV[1])
        end
      end
      local ttl = tonumber(ARGV[7])
      if ttl <= 0 then
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 0
      end
      redis.call('HSET', KEYS[1], 'kind', ARGV[2], 'owner', ARGV[3], 'model', ARGV[4], 'backend', ARGV[5],
        'created', ARGV[6])
      redis.call('PEXPIRE', KEYS[1], ttl)
      redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
      if redis.call('PTTL', KEYS[2]) < ttl then
        redis.call('PEXPIRE', KEYS[2], ttl)
      end
      return 1
      """);

  /** Forgets one object. KEYS: the object. ARGV: id, the index key prefix. */
  static final LuaScript REMOVE = new LuaScript("object-remove", """
      local old = redis.call('HMGET', KEYS[1], 'kind', 'owner')
      redis.call('DEL', KEYS[1])
      if old[1] and old[2] then
        redis.call('ZREM', ARGV[2] .. old[1] .. ':' .. old[2], ARGV[1])
      end
      return 1
      """);

  /**
   * One owner's live objects of one kind, newest first. KEYS: the index. ARGV: the expiry cutoff (members created at
   * or before it are dropped), limit, the object key prefix ({@code <prefix>id:}), owner, kind. Returns up to limit
   * {@code [id, model, backend, created]}.
   */
  static final LuaScript LIST = new LuaScript("object-list", """
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
      local limit = tonumber(ARGV[2])
      local found = {}
      local stale = {}
      local start = 0
      while #found < limit do
        local ids = redis.call('ZRANGE', KEYS[1], start, start + limit - 1, 'REV')
        if #ids == 0 then
          break
        end
        for _, id in ipairs(ids) do
          local h = redis.call('HMGET', ARGV[3] .. id, 'kind', 'owner', 'model', 'backend', 'created')
          if h[1] == ARGV[5] and h[2] == ARGV[4] then
            found[#found + 1] = {id, h[3], h[4], h[5]}
            if #found == limit then
              break
            end
          else
            stale[#stale + 1] = id
          end
        end
        start = start + #ids
      end
      for _, id in ipairs(stale) do
        redis.call('ZREM', KEYS[1], id)
      end
      return found
      """);
}
