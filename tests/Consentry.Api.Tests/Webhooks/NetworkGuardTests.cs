using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Webhooks;

/// <summary>Names that resolve where the test says; <c>rebind.test</c> is public once, then loopback (DNS rebinding).</summary>
public sealed class ScriptedResolver : HostResolver
{
    private int _rebindLookups;

    public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => host switch
    {
        "loopback.test" => Task.FromResult(new[] { IPAddress.Loopback }),
        "mixed.test" => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.7") }),
        "public.test" => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") }),
        "rebind.test" => Task.FromResult(Interlocked.Increment(ref _rebindLookups) == 1 ? new[] { IPAddress.Parse("93.184.216.34") } : new[] { IPAddress.Loopback }),
        _ => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound),
    };
}

public sealed class GuardedWebhookApp() : WebhookApp(DatabaseProvider.Sqlite)
{
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(base.Settings) { ["Consentry:Webhooks:AllowPrivateNetworks"] = "false" };

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<HostResolver, ScriptedResolver>();
}

public sealed class NetworkGuardTests(GuardedWebhookApp app) : IClassFixture<GuardedWebhookApp>
{
    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://127.1.2.3:8080/hook")]
    [InlineData("http://10.0.0.5/hook")]
    [InlineData("http://172.20.1.1/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00:ec2::254]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("ftp://public.test/hook")]
    [InlineData("not a url")]
    [InlineData("https://user:pass@public.test/hook")]
    public async Task Register_InternalOrBadUrl_Returns400(string url)
    {
        await app.Alpha().PostJsonAsync("/webhooks", new { url }).ExpectErrorAsync(HttpStatusCode.BadRequest, "url");
    }

    [Theory]
    [InlineData("https://public.test/hook")]
    // Names are not resolved at registration (an app often registers before its DNS exists): delivery checks them.
    [InlineData("https://unknown-host.test/hook")]
    [InlineData("http://loopback.test/hook")]
    public async Task Register_AName_IsAccepted_WithoutResolvingIt(string url)
    {
        await app.Alpha().PostJsonAsync("/webhooks", new { url }).ExpectAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("loopback.test")]
    [InlineData("rebind.test")] // public at its first lookup, loopback from then on (DNS rebinding)
    public async Task Delivery_ToANameThatResolvesInternally_IsRefusedAtConnectTime(string host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.Url()).Port;
        var api = app.Beta();
        var consumer = await api.PostJsonAsync("/webhooks", new { url = $"http://{host}:{port}/hook", eventTypes = new[] { "company.created" } })
            .ExpectAsync(HttpStatusCode.Created);
        var webhookId = Guid.Parse(consumer["id"]!.GetValue<string>());

        if (host == "rebind.test")
        {
            // Whatever it resolved to once, the connection is checked against what it resolves to now.
            await app.Services.GetRequiredService<HostResolver>().ResolveAsync(host, CancellationToken.None);
        }

        await api.CreateCompanyAsync("Internal Name Ltd");

        var attempt = await FirstAttemptAsync(webhookId);
        Assert.False(attempt.Succeeded);
        Assert.Contains("internal addresses", attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    private async Task<WebhookAttempt> FirstAttemptAsync(Guid webhookId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        WebhookAttempt? attempt = null;
        while (attempt is null && DateTime.UtcNow < deadline)
        {
            attempt = await app.WithDbAsync(db => db.WebhookAttempts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.ConsumerId == webhookId));
            await Task.Delay(25);
        }

        Assert.NotNull(attempt);
        return attempt;
    }
}
