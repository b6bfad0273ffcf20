using System.Collections.Concurrent;

namespace Consentry.Sandbox.Store;

/// <summary>The control API's state: per platform and username, beside the OAuth state.</summary>
internal sealed partial class InMemorySandboxStore
{
    private readonly ConcurrentDictionary<(string Platform, string Username), UserControls> _controls = new();

    public CollectionOverlay FindOverlay(string platform, string username, string collection) =>
        _controls.TryGetValue((platform, username), out var controls) ? controls.Overlay(collection) : CollectionOverlay.Empty;

    public (CollectionOverlay Before, CollectionOverlay After) UpdateOverlay(
        string platform, string username, string collection, Func<CollectionOverlay, CollectionOverlay> update) =>
        Controls(platform, username).UpdateOverlay(collection, update);

    public void SetRateLimit(string platform, string username, int requests, int retryAfterSeconds) =>
        Controls(platform, username).SetRateLimit(requests, retryAfterSeconds);

    public void SetFailures(string platform, string username, int requests, int status) =>
        Controls(platform, username).SetFailures(requests, status);

    public int? TakeFailure(string platform, string username) =>
        _controls.TryGetValue((platform, username), out var controls) ? controls.TakeFailure() : null;

    public int? TakeRateLimit(string platform, string username) =>
        _controls.TryGetValue((platform, username), out var controls) ? controls.TakeRateLimit() : null;

    public void SetLatency(string platform, string username, int milliseconds, int requests) =>
        Controls(platform, username).SetLatency(milliseconds, requests);

    public TimeSpan TakeLatency(string platform, string username) =>
        _controls.TryGetValue((platform, username), out var controls) ? controls.TakeLatency() : TimeSpan.Zero;

    public void CountDataRequest(string platform, string username) => Controls(platform, username).CountDataRequest();

    public void CountTokenRefresh(string platform, string username) => Controls(platform, username).CountTokenRefresh();

    public UserStats Stats(string platform, string username) =>
        _controls.TryGetValue((platform, username), out var controls) ? controls.Stats() : new UserStats(0, 0, 0, 0);

    public int ExpireAccessTokens(string platform, string username, DateTimeOffset now)
    {
        lock (_gate)
        {
            var expiring = _tokens
                .Where(t => t.Value is { Kind: TokenKind.Access, Revoked: false } token && token.ExpiresAt > now
                    && _grants.TryGetValue(token.GrantId, out var grant) && grant.Platform == platform && grant.Username == username)
                .ToList();
            foreach (var (hash, token) in expiring)
            {
                _tokens[hash] = token with { ExpiresAt = now };
            }

            return expiring.Count;
        }
    }

    public int RevokeGrants(string platform, string username)
    {
        lock (_gate)
        {
            var revoking = _grants.Values.Where(g => g.Platform == platform && g.Username == username).Select(g => g.Id).ToList();
            foreach (var id in revoking)
            {
                _revokedGrants.Add(id);
                _grants.Remove(id);
            }

            return revoking.Count;
        }
    }

    private UserControls Controls(string platform, string username) => _controls.GetOrAdd((platform, username), _ => new UserControls());

    /// <summary>One user's controls at one platform: counters by Interlocked, the rest under the object's lock.</summary>
    private sealed class UserControls
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, CollectionOverlay> _overlays = new(StringComparer.Ordinal);
        private int _rateLimitedRequests;
        private int _failingRequests;
        private int _failureStatus;
        private long _failed;
        private int _retryAfterSeconds;
        private int _delayedRequests;
        private int _delayMilliseconds;
        private long _dataRequests;
        private long _tokenRefreshes;
        private long _rateLimited;

        public CollectionOverlay Overlay(string collection)
        {
            lock (_gate)
            {
                return _overlays.GetValueOrDefault(collection) ?? CollectionOverlay.Empty;
            }
        }

        public (CollectionOverlay Before, CollectionOverlay After) UpdateOverlay(string collection, Func<CollectionOverlay, CollectionOverlay> update)
        {
            lock (_gate)
            {
                var before = _overlays.GetValueOrDefault(collection) ?? CollectionOverlay.Empty;
                var after = update(before);
                _overlays[collection] = after;
                return (before, after);
            }
        }

        public void SetRateLimit(int requests, int retryAfterSeconds)
        {
            lock (_gate)
            {
                (_rateLimitedRequests, _retryAfterSeconds) = (requests, retryAfterSeconds);
            }
        }

        public int? TakeRateLimit()
        {
            lock (_gate)
            {
                if (_rateLimitedRequests <= 0)
                {
                    return null;
                }

                _rateLimitedRequests--;
                _rateLimited++;
                return _retryAfterSeconds;
            }
        }

        public void SetFailures(int requests, int status)
        {
            lock (_gate)
            {
                (_failingRequests, _failureStatus) = (requests, status);
            }
        }

        public int? TakeFailure()
        {
            lock (_gate)
            {
                if (_failingRequests <= 0)
                {
                    return null;
                }

                _failingRequests--;
                _failed++;
                return _failureStatus;
            }
        }

        public void SetLatency(int milliseconds, int requests)
        {
            lock (_gate)
            {
                (_delayMilliseconds, _delayedRequests) = milliseconds == 0 ? (0, 0) : (milliseconds, requests);
            }
        }

        public TimeSpan TakeLatency()
        {
            lock (_gate)
            {
                if (_delayedRequests <= 0)
                {
                    return TimeSpan.Zero;
                }

                _delayedRequests--;
                return TimeSpan.FromMilliseconds(_delayMilliseconds);
            }
        }

        public void CountDataRequest() => Interlocked.Increment(ref _dataRequests);

        public void CountTokenRefresh() => Interlocked.Increment(ref _tokenRefreshes);

        public UserStats Stats()
        {
            lock (_gate)
            {
                return new UserStats(Interlocked.Read(ref _dataRequests), Interlocked.Read(ref _tokenRefreshes), _rateLimited, _failed);
            }
        }
    }
}
