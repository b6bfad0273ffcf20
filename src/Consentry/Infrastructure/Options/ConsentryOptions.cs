using System.ComponentModel.DataAnnotations;
using Consentry.Core.Persistence;

namespace Consentry.Infrastructure.Options;

/// <summary>The <c>Consentry</c> configuration section (environment: <c>Consentry__…</c>).</summary>
public sealed class ConsentryOptions
{
    public const string Section = "Consentry";

    /// <summary>Where the embedded SQLite database and local state live.</summary>
    public string DataDirectory { get; set; } = "./.consentry";

    /// <summary>The origin used in <c>linkUrl</c>, redirects and webhooks. Defaults to the first listening URL.</summary>
    public string? PublicBaseUrl { get; set; }

    public DatabaseOptions Database { get; set; } = new();

    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>Largest accepted request body; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a successful API key lookup is remembered by one instance, in seconds (0 disables).</summary>
    [Range(0, 300)]
    public int ApiKeyCacheSeconds { get; set; } = 10;

    /// <summary>
    /// How long one instance may keep a client's row and enabled webhook consumers (<c>IClientCache</c>) before reading
    /// them again, in seconds (0 disables): the bound on how late another instance sees a settings change.
    /// </summary>
    [Range(0, 300)]
    public int ClientCacheSeconds { get; set; } = 10;
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

public sealed class BootstrapOptions
{
    /// <summary>At start, ensure a client exists with this API key (idempotent).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Further clients, each ensured at start: <c>Consentry__Bootstrap__Clients__0__Name</c>, <c>…__ApiKey</c>.</summary>
    public List<BootstrapClient> Clients { get; set; } = [];
}

public sealed class BootstrapClient
{
    public string? Name { get; set; }

    public string? ApiKey { get; set; }
}
