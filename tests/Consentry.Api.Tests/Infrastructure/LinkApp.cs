using System.Net;
using System.Net.Sockets;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// The host on real Kestrel at http://localhost:{port}: the Link pages, the callback and the sandbox platforms talk
/// over real HTTP (Consentry exchanges codes with the sandbox through the network stack), and a browser can open it.
/// </summary>
public class LinkApp(DatabaseProvider provider, string? sharedConnectionString = null) : ConsentryApp(provider, sharedConnectionString)
{
    private readonly int _port = FreePort();

    public string BaseUrl => $"http://localhost:{_port}";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Consentry:PublicBaseUrl"] = BaseUrl,
        ["Consentry:Webhooks:PollMilliseconds"] = "50",
        ["Consentry:Webhooks:AllowPrivateNetworks"] = "true",
    };

    protected override Uri ClientBase => new(BaseUrl);

    protected override void Start()
    {
        UseKestrel(_port);
        StartServer();
    }

    /// <summary>A browser without JavaScript: its own cookie jar, redirects followed by hand.</summary>
    public LinkBrowser Browser() => new(new Uri(BaseUrl));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class SqliteLinkApp() : LinkApp(DatabaseProvider.Sqlite);

public sealed class PostgresLinkApp() : LinkApp(DatabaseProvider.Postgres);
