package dev.spillway.gateway.store.redis;

/**
 * The two Lua scripts behind {@link RedisLimitStore}. Each runs atomically inside Redis, so a
 * request's limits are checked and counted as one step however many replicas call at once.
 *
 * <p><b>Keys.</b> A counter is {@code <prefix>{<counterKey>}:<kind id>:<window start millis>}, for
 * example {@code spillway:lim:{consumer=search-app|model=gpt-4o}:tpm:1741608000000}; the caller passes
 * the part before the window start as KEYS and the script appends the window it computes. Each counter
 * expires {@code grace} after its window ends, so nothing needs sweeping. The braces make each
 * counter key a Redis Cluster hash tag (all windows of a counter share a slot); a request whose checks
 * use several counter keys still touches several slots, so the store targets standalone or sentinel
 * Redis. A reservation is {@code <prefix>req:{<requestId>}} holding the {@code now} it was made at,
 * with a time-to-live of the reservation TTL; settle consumes it in the same script that adjusts the
 * counters, so it doubles as the idempotency marker: a second settle finds nothing and does nothing.
 *
 * <p><b>Time.</b> {@code now} comes from {@code redis.call('TIME')}, so replica clocks never matter.
 * ARGV[1] may carry a {@code now} instead; {@link RedisLimitStore} sends one only when {@link
 * RedisLimitOptions#trustCallerClock()} is set, which only tests do (to drive windows with a fake
 * clock). Windows are computed exactly as {@code dev.spillway.core.limits.Window} does (tests compare
 * both over many instants): fixed UTC minutes, hours and days, ISO weeks, calendar months and years
 * (Howard Hinnant's days-from-civil arithmetic). Lua numbers are doubles: epoch millis stay exact.
 */
final class LimitScripts {
  private LimitScripts() {}

  /** Window arithmetic shared by both scripts: {@code window(kindId, nowMillis)} returns start, end. */
  private static final String WINDOWS =
      """
      local DAY = 86400000
      local function days_from_civil(y, m, d)
        if m <= 2 then y = y - 1 end
        local era = math.floor(y / 400)
        local yoe = y - era * 400
        local mp = (m + 9) % 12
        local doy = math.floor((153 * mp + 2) / 5) + d - 1
        local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
        return era * 146097 + doe - 719468
      end
      local function civil_from_days(z)
        z = z + 719468
        local era = math.floor(z / 146097)
        local doe = z - era * 146097
        local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
        local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
        local mp = math.floor((5 * doy + 2) / 153)
        local m = mp < 10 and mp + 3 or mp - 9
        local y = yoe + era * 400
        if m <= 2 then y = y + 1 end
        return y, m
      end
      local function window(kind, now)
        local size
        if kind == 'tpm' or kind == 'rpm' then size = 60000
        elseif kind == 'tph' then size = 3600000
        elseif kind == 'tpd' then size = DAY
        end
        if size then
          local s = math.floor(now / size) * size
          return s, s + size
        end
        local day = math.floor(now / DAY)
        if kind == 'tpw' then
          local monday = day - (day + 3) % 7
          return monday * DAY, (monday + 7) * DAY
        end
        local y, m = civil_from_days(day)
        if kind == 'tpmo' then
          local ny, nm = y, m + 1
          if nm == 13 then ny, nm = y + 1, 1 end
          return days_from_civil(y, m, 1) * DAY, days_from_civil(ny, nm, 1) * DAY
        elseif kind == 'tpy' then
          return days_from_civil(y, 1, 1) * DAY, days_from_civil(y + 1, 1, 1) * DAY
        end
        error('unknown limit kind ' .. tostring(kind))
      end
      local function int(x)
        return string.format('%.0f', x)
      end
      """;

  /**
   * Checks every limit, then counts all of them or none.
   *
   * <pre>
   * KEYS[1]      reservation key of the request id
   * KEYS[1+i]    counter key of check i without its window
   * ARGV[1]      now in epoch millis, or '' for redis TIME
   * ARGV[2]      tokens to reserve
   * ARGV[3]      reservation time-to-live, millis; '0' when no check counts tokens (nothing to settle)
   * ARGV[4]      counter expiry after its window ends, millis
   * ARGV[3+2i]   kind id of check i ('rpm' counts 1, every other kind counts the tokens)
   * ARGV[4+2i]   limit of check i
   * reply        {1, now, used_1, windowEnd_1, used_2, windowEnd_2, ...}  counted
   *              {0, now, i, windowEnd_i, cost_i}                          nothing counted, check i refused
   * </pre>
   *
   * When several checks refuse, the reported one is the one whose wait is longest: a cost larger
   * than the whole limit first, then the latest window end, then the first given.
   */
  static final LuaScript RESERVE =
      new LuaScript(
          "spillway-limits-reserve",
          WINDOWS
              + """
              local now
              if ARGV[1] ~= '' then
                now = tonumber(ARGV[1])
              else
                local t = redis.call('TIME')
                now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
              end
              local tokens = tonumber(ARGV[2])
              local n = #KEYS - 1
              local keys, costs, ends = {}, {}, {}
              local worst, worst_never, worst_end
              for i = 1, n do
                local kind = ARGV[3 + 2 * i]
                local limit = tonumber(ARGV[4 + 2 * i])
                local s, e = window(kind, now)
                local key = KEYS[i + 1] .. ':' .. int(s)
                local cost = tokens
                if kind == 'rpm' then cost = 1 end
                keys[i], costs[i], ends[i] = key, cost, e
                local used = tonumber(redis.call('GET', key) or '0')
                if used + cost > limit then
                  local never = cost > limit
                  if worst == nil or (never and not worst_never) or (never == worst_never and e > worst_end) then
                    worst, worst_never, worst_end = i, never, e
                  end
                end
              end
              if worst then
                return {0, now, worst, worst_end, costs[worst]}
              end
              local grace = tonumber(ARGV[4])
              local reply = {1, now}
              for i = 1, n do
                reply[#reply + 1] = redis.call('INCRBY', keys[i], costs[i])
                reply[#reply + 1] = ends[i]
                redis.call('PEXPIRE', keys[i], int(ends[i] - now + grace))
              end
              if ARGV[3] ~= '0' then
                redis.call('SET', KEYS[1], int(now), 'PX', ARGV[3])
              end
              return reply
              """);

  /**
   * Replaces a reservation by the real usage, once: consumes the reservation key and adds the
   * difference to each token counter of the windows the reservation was made in (floored at zero),
   * keeping their expiry. Counters whose window already expired are left alone.
   *
   * <pre>
   * KEYS[1]      reservation key of the request id
   * KEYS[1+i]    counter key of token check i without its window
   * ARGV[1]      actual - reserved tokens
   * ARGV[1+i]    kind id of token check i
   * reply        1 settled, 0 unknown or already settled
   * </pre>
   */
  static final LuaScript SETTLE =
      new LuaScript(
          "spillway-limits-settle",
          WINDOWS
              + """
              local at = redis.call('GET', KEYS[1])
              if not at then
                return 0
              end
              redis.call('DEL', KEYS[1])
              at = tonumber(at)
              local delta = tonumber(ARGV[1])
              for i = 2, #KEYS do
                local s = window(ARGV[i], at)
                local key = KEYS[i] .. ':' .. int(s)
                local used = redis.call('GET', key)
                if used then
                  local v = tonumber(used) + delta
                  if v < 0 then v = 0 end
                  redis.call('SET', key, int(v), 'KEEPTTL')
                end
              end
              return 1
              """);
}
