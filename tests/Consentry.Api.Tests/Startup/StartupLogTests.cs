using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Consentry.Api.Tests.Startup;

/// <summary>What an evaluator reads first: the log of a first start on an empty database.</summary>
public sealed class StartupLogTests
{
    [Fact]
    public async Task FirstStart_ExplainsWhereTheKeyRingIsAndHowToEncryptIt_InsteadOfTheFrameworksWarning()
    {
        var capture = new LogCapture();
        const string key = "startup-log-key-0123456789";
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Consentry:DataDirectory", Path.Combine(Path.GetTempPath(), "consentry-startlog-" + Guid.NewGuid().ToString("N")[..8]));
            b.UseSetting("Consentry:Bootstrap:ApiKey", key);
            b.ConfigureLogging(l => l.AddProvider(capture));
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key)));
        // A stored secret: the key ring is certainly created (and its key written) by now.
        await client.PutJsonAsync("/integrations/gbol/settings", new { oauthClientId = "id", oauthClientSecret = "a-secret" }).ExpectAsync(HttpStatusCode.OK);

        Assert.DoesNotContain(capture.Lines, l => l.Contains("No XML encryptor configured", StringComparison.Ordinal));
        var notice = Assert.Single(capture.Lines, l => l.Contains("data_protection_keys", StringComparison.Ordinal));
        Assert.Contains("Consentry__DataProtection__KeyEncryptionCertificate", notice, StringComparison.Ordinal);
    }
}
