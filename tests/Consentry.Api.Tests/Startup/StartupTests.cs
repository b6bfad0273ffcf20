using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consentry.Api.Tests.Startup;

public sealed class StartupTests
{
    [Theory]
    [InlineData("Consentry:Database:Provider", "Postgres", "ConnectionStrings__Consentry must be set")]
    [InlineData("Consentry:PublicBaseUrl", "ftp://nope", "Consentry__PublicBaseUrl must be an absolute http(s) URL")]
    [InlineData("Consentry:PublicBaseUrl", "https://x.example/path", "no path")]
    [InlineData("Consentry:Bootstrap:ApiKey", "short", "Consentry__Bootstrap__ApiKey must be at least 16 characters")]
    [InlineData("Consentry:Bootstrap:Clients:0:Name", "Named but keyless", "Consentry__Bootstrap__Clients__0__ApiKey is required")]
    [InlineData("Consentry:MaxRequestBodyBytes", "10", "MaxRequestBodyBytes")]
    [InlineData("Consentry:RateLimits:ApiPerClient:Burst", "0", "Consentry:RateLimits:ApiPerClient")]
    [InlineData("Consentry:TrustedProxies:Networks:0", "10.0.0.0/99", "CIDR")]
    [InlineData("Consentry:TrustedProxies:Proxies:0", "nginx", "not an IP address")]
    [InlineData("Consentry:Idempotency:RetentionHours", "0", "RetentionHours")]
    public void Start_WithBadConfiguration_FailsWithAMessageNamingTheSetting(string key, string value, string message)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Consentry:DataDirectory", Path.Combine(Path.GetTempPath(), "consentry-bad-" + Guid.NewGuid().ToString("N")[..8]));
            b.UseSetting(key, value);
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);
        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_IsIdempotent_AndAddsANewKeyToTheSameClient()
    {
        var directory = Path.Combine(Path.GetTempPath(), "consentry-boot-" + Guid.NewGuid().ToString("N")[..8]);
        WebApplicationFactory<Program> Start(string key) => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Consentry:DataDirectory", directory);
            b.UseSetting("Consentry:Bootstrap:ApiKey", key);
        });

        for (var run = 0; run < 2; run++)
        {
            using var factory = Start("first-bootstrap-key-0123456789");
            _ = factory.Server;
        }

        using (var rotated = Start("second-bootstrap-key-0123456789"))
        {
            _ = rotated.Server;
            await using var scope = rotated.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            Assert.Equal(["Default"], await db.Clients.Select(c => c.Name).ToListAsync());
            Assert.Equal(2, await db.ApiKeys.IgnoreQueryFilters().CountAsync());
        }

        using var again = Start("first-bootstrap-key-0123456789");
        var client = again.CreateClient();
        client.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String("first-bootstrap-key-0123456789"u8.ToArray()));
        await client.GetAsync("/companies").ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task FirstStart_WithoutAKey_CreatesTheDefaultClient()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("Consentry:DataDirectory", Path.Combine(Path.GetTempPath(), "consentry-first-" + Guid.NewGuid().ToString("N")[..8])));
        _ = factory.Server;

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        Assert.Equal(1, await db.Clients.CountAsync());
        Assert.Equal(1, await db.ApiKeys.IgnoreQueryFilters().CountAsync());
    }

    [Fact]
    public async Task Logs_NeverContainApiKeysOrSecrets()
    {
        var capture = new LogCapture();
        const string key = "log-test-api-key-0123456789abcdef";
        const string secret = "oauth-secret-that-must-not-be-logged";
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Consentry:DataDirectory", Path.Combine(Path.GetTempPath(), "consentry-logs-" + Guid.NewGuid().ToString("N")[..8]));
            b.UseSetting("Consentry:Bootstrap:ApiKey", key);
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.ConfigureLogging(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        });
        var client = factory.CreateClient();
        var header = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key));
        client.DefaultRequestHeaders.Add("Authorization", "Basic " + header);

        var created = await client.PostJsonAsync("/apiKeys", new { name = "logged?" }).ExpectAsync(HttpStatusCode.Created);
        var newKey = created["apiKey"]!.GetValue<string>();
        await client.PutJsonAsync("/integrations/gbol/settings", new { oauthClientId = "id", oauthClientSecret = secret }).ExpectAsync(HttpStatusCode.OK);
        await client.GetAsync("/companies?query=bogus%3D1").ExpectErrorAsync(HttpStatusCode.BadRequest);
        var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String("wrong-key-0123456789"u8.ToArray()));
        await wrong.GetAsync("/companies").ExpectErrorAsync(HttpStatusCode.Unauthorized);

        Assert.NotEmpty(capture.Lines);
        foreach (var forbidden in new[] { key, header, newKey, secret, "wrong-key-0123456789" })
        {
            Assert.DoesNotContain(capture.Lines, line => line.Contains(forbidden, StringComparison.Ordinal));
        }

        Assert.Contains(capture.Lines, line => line.Contains("Error parsing query", StringComparison.Ordinal) && line.Contains("correlationId", StringComparison.Ordinal));
    }
}
