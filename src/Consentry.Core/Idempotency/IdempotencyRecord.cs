using Consentry.Core.Tenancy;

namespace Consentry.Core.Idempotency;

public enum IdempotencyState
{
    /// <summary>Reserved by a request that has not finished; duplicates get 409 until it does or its lease runs out.</summary>
    InFlight,

    /// <summary>The create committed; the stored response is replayed for the same key and body.</summary>
    Completed,
}

/// <summary>One <c>Idempotency-Key</c> of one client: what was asked (a hash) and, once done, what was answered.</summary>
public sealed class IdempotencyRecord : IClientOwned
{
    public const int MaxKeyLength = 255;

    public Guid ClientId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of the method, path, query and body: the same key with another request is refused.</summary>
    public required byte[] RequestHash { get; set; }

    public IdempotencyState State { get; set; }

    /// <summary>Which request holds the reservation; the completing update must still find it, or it rolls back.</summary>
    public Guid LeaseToken { get; set; }

    /// <summary>After this, an in-flight reservation is taken to be abandoned (its process died) and may be taken over.</summary>
    public DateTime LeaseUntil { get; set; }

    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[]? Body { get; set; }

    public DateTime Created { get; set; }

    /// <summary>When the key may be reused for another request (and the row deleted).</summary>
    public DateTime Expires { get; set; }
}
