using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Abuse;

/// <summary>
/// The host with tiny buckets (burst 3, one permit a second), 127.0.0.1 as its trusted proxy, and the in-memory
/// server's missing peer address filled from the test-only <c>X-Test-Peer</c> header (default 127.0.0.1).
/// </summary>
public sealed class RateLimitApp() : ConsentryApp(DatabaseProvider.Sqlite)
{
    public const string PeerHeader = "X-Test-Peer";

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(base.Settings)
            {
                ["Consentry:TrustedProxies:Proxies:0"] = "127.0.0.1",
            };
            foreach (var rule in new[] { "ApiPerClient", "AnonymousPerIp", "PagesPerIp", "SignInPerIp", "SandboxPerIp" })
            {
                settings[$"Consentry:RateLimits:{rule}:PermitsPerSecond"] = "1";
                settings[$"Consentry:RateLimits:{rule}:Burst"] = "3";
            }

            return settings;
        }
    }

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter, PeerAddressFilter>();

    private sealed class PeerAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(
                    context.Request.Headers.TryGetValue(PeerHeader, out var peer) ? peer.ToString() : "127.0.0.1");
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class RateLimitTests(RateLimitApp app) : IClassFixture<RateLimitApp>
{
    // Enough that one permit a second cannot refill the bucket of three faster than the loop drains it.
    private const int MaxAttempts = 40;

    [Fact]
    public async Task PlatformApi_ClientOverItsBucket_Gets429WithRetryAfterAndCodatBody_OtherClientUnaffected()
    {
        var alpha = app.Alpha();
        using var limited = await FloodAsync(() => alpha.GetAsync("/companies"));

        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        await Task.FromResult(limited).ExpectErrorAsync(HttpStatusCode.TooManyRequests, "Too many requests");
        // Per client, not per address: the other client, from the same address, still gets through.
        using var beta = await app.Beta().GetAsync("/companies");
        Assert.Equal(HttpStatusCode.OK, beta.StatusCode);
    }

    [Fact]
    public async Task PlatformApi_WithoutAValidKey_IsLimitedPerAddress()
    {
        var anonymous = app.ClientFor("guessing-0000000000000000");
        anonymous.DefaultRequestHeaders.Add(RateLimitApp.PeerHeader, "10.1.1.1");
        using var limited = await FloodAsync(() => anonymous.GetAsync("/companies"));
        await Task.FromResult(limited).ExpectErrorAsync(HttpStatusCode.TooManyRequests);

        var other = app.ClientFor("guessing-0000000000000000");
        other.DefaultRequestHeaders.Add(RateLimitApp.PeerHeader, "10.1.1.2");
        await other.GetAsync("/companies").ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ForwardedFor_FromTheTrustedProxy_PicksTheBucket()
    {
        var first = app.ClientFor("guessing-0000000000000000");
        first.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        using var limited = await FloodAsync(() => first.GetAsync("/companies"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        var second = app.ClientFor("guessing-0000000000000000");
        second.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.8");
        await second.GetAsync("/companies").ExpectErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ForwardedFor_FromAnUntrustedPeer_IsIgnored()
    {
        var counter = 0;
        using var limited = await FloodAsync(() =>
        {
            // A new made-up address each time: were it believed, every request would get a fresh bucket.
            var client = app.ClientFor("guessing-0000000000000000");
            client.DefaultRequestHeaders.Add(RateLimitApp.PeerHeader, "10.2.2.2");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{++counter}");
            return client.GetAsync("/companies");
        });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task LinkSdkApi_IsLimitedPerAddress_InCodatShape()
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Add(RateLimitApp.PeerHeader, "10.3.3.3");
        using var limited = await FloodAsync(() => client.GetAsync("/link/api/journey"));
        Assert.NotNull(limited.Headers.RetryAfter);
        await Task.FromResult(limited).ExpectErrorAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task LinkPages_AreLimitedPerAddress_WithAnHtmlPage()
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Add(RateLimitApp.PeerHeader, "10.4.4.4");
        using var limited = await FloodAsync(() => client.GetAsync($"/link/company/{Guid.NewGuid()}"));
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PortalSignIn_PostsAreLimitedPerAddress()
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Add(RateLimitApp.PeerHeader, "10.5.5.5");
        using var limited = await FloodAsync(() => client.PostAsync("/portal/signin",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@b.test", ["Password"] = "wrong" })));
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task Health_IsNeverLimited()
    {
        var client = app.Anonymous();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public void AddressKey_GroupsIpv6By64AndUnmapsIpv4()
    {
        Assert.Equal("2001:db8:1:2::/64", Consentry.Infrastructure.Abuse.AbuseLimits.AddressKey(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.Equal("192.0.2.1", Consentry.Infrastructure.Abuse.AbuseLimits.AddressKey(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.Equal("unknown", Consentry.Infrastructure.Abuse.AbuseLimits.AddressKey(null));
    }

    /// <summary>Sends until the first 429 (bounded); the earlier answers must not be 429.</summary>
    private static async Task<HttpResponseMessage> FloodAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var i = 0; i < MaxAttempts; i++)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(i >= 3, $"Limited after only {i} requests; the burst is 3.");
                return response;
            }

            response.Dispose();
        }

        Assert.Fail($"No 429 after {MaxAttempts} requests.");
        return null!;
    }
}
