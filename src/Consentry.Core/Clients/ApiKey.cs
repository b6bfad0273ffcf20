using Consentry.Core.Tenancy;

namespace Consentry.Core.Clients;

/// <summary>An API key of a client. Only its SHA-256 hash is stored; the key itself is shown once, at creation.</summary>
public sealed class ApiKey : IClientOwned
{
    public const int MaxPerClient = 10;

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public string? Name { get; set; }

    public required byte[] Hash { get; set; }

    /// <summary>A masked form (first and last characters) so a team can tell its keys apart.</summary>
    public required string Hint { get; set; }

    public DateTime Created { get; set; }
}
