using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Webhooks;

/// <summary>The host with a fast-polling worker, no jitter and a short schedule (0, 5 s, 5 min), on loopback receivers.</summary>
public class WebhookApp(DatabaseProvider provider) : ConsentryApp(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Consentry:Webhooks:PollMilliseconds"] = "50",
        ["Consentry:Webhooks:Jitter"] = "0",
        ["Consentry:Webhooks:RetrySchedule"] = "0,5s,5m",
        ["Consentry:Webhooks:TimeoutSeconds"] = "2",
        ["Consentry:Webhooks:AllowPrivateNetworks"] = "true",
    };
}

public sealed class SqliteWebhookApp() : WebhookApp(DatabaseProvider.Sqlite);

public sealed class PostgresWebhookApp() : WebhookApp(DatabaseProvider.Postgres);
