namespace Consentry.Infrastructure.Idempotency;

/// <summary>Marks an endpoint as honouring <c>Idempotency-Key</c> (see <see cref="IdempotencyMiddleware"/>).</summary>
public sealed class IdempotentMetadata
{
    public static readonly IdempotentMetadata Instance = new();
}

public static class IdempotencyEndpoints
{
    /// <summary>One line per create route: <c>group.MapPost(...).WithIdempotency()</c>.</summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IdempotentMetadata.Instance);
}

/// <summary>
/// A test seam, not a mock: when registered, it runs after a key is reserved and before the create starts, so a test
/// can hold one request in flight and send its duplicate. Production never registers it.
/// </summary>
public sealed class IdempotencyProbe
{
    public Func<HttpContext, Task>? AfterReserved { get; set; }
}
