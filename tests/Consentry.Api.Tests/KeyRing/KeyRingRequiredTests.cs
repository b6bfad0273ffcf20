using System.Net;
using System.Security.Cryptography;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consentry.Api.Tests.KeyRing;

/// <summary>
/// Outside Development the key ring must be protected by something kept away from the database (issue 20, 5b): a
/// certificate (<see cref="KeyRingProtectionTests"/>), a key from the environment or a file, or the operator's opt-out.
/// </summary>
public sealed class KeyRingRequiredTests
{
    private const string ApiKey = "key-ring-required-key-0123456789";

    [Fact]
    public void Production_WithoutProtection_RefusesToStart_BeforeTouchingTheDatabase_NamingTheSettings()
    {
        var directory = DataDirectory();
        using var factory = Production(directory, []);

        var message = Refusal(() => factory.Server);

        foreach (var setting in new[] { "KeyEncryptionKey", "KeyEncryptionKeyFile", "KeyEncryptionCertificate", "AllowUnprotectedKeys=true" })
        {
            Assert.Contains("Consentry__DataProtection__" + setting, message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Path.Combine(directory, "consentry.db")), "the database was created before the refusal");
    }

    [Fact]
    public async Task Production_WithTheOptOut_Starts_WithAWarningNamingIt()
    {
        var logs = new LogCapture();
        using var factory = Production(DataDirectory(), new() { ["Consentry:DataProtection:AllowUnprotectedKeys"] = "true" }, logs);

        await Authorized(factory).PutJsonAsync("/integrations/gbol/settings", new { oauthClientId = "id", oauthClientSecret = "a-secret" }).ExpectAsync(HttpStatusCode.OK);

        var notice = Assert.Single(logs.Lines, l => l.Contains("UNPROTECTED KEY RING", StringComparison.Ordinal));
        Assert.StartsWith("Warning", notice, StringComparison.Ordinal);
        Assert.Contains("Consentry__DataProtection__AllowUnprotectedKeys", notice, StringComparison.Ordinal);
        Assert.Contains("<masterKey", Assert.Single(await KeysAsync(factory)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithAKeyFromTheEnvironment_StoresTheRingEncrypted_AndReadsItBackAfterARestart()
    {
        var directory = DataDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Consentry:DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Consentry:Webhooks:AllowPrivateNetworks"] = "true",
        };
        string id, secret;
        using (var first = Production(directory, settings))
        {
            var api = Authorized(first);
            var consumer = await api.PostJsonAsync("/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "company.created" }, companyTags = new[] { "never:matched" } }).ExpectAsync(HttpStatusCode.Created);
            id = consumer["id"]!.GetValue<string>();
            secret = (await api.GetAsync($"/webhooks/{id}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>();

            var keys = await KeysAsync(first);
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("urn:consentry:keyring:v1", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            });
        }

        // A new process has only the database and the key: the ring is decrypted from storage.
        using var second = Production(directory, settings);
        Assert.Equal(secret, (await Authorized(second).GetAsync($"/webhooks/{id}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not base64 at all", "base64 of 32 random bytes")]
    [InlineData("c2hvcnQ=", "base64 of 32 random bytes")]
    public void Production_WithAMalformedKey_RefusesToStart(string key, string message)
    {
        using var factory = Production(DataDirectory(), new() { ["Consentry:DataProtection:KeyEncryptionKey"] = key });
        Assert.Contains(message, Refusal(() => factory.Server), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFile_InsideTheDataDirectory_IsRefused()
    {
        var directory = DataDirectory();
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "keyring.key");
        File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        using var factory = Production(directory, new() { ["Consentry:DataProtection:KeyEncryptionKeyFile"] = file });

        Assert.Contains("inside the data directory", Refusal(() => factory.Server), StringComparison.Ordinal);
    }

    private static string Refusal(Func<object> start)
    {
        var error = Assert.ThrowsAny<Exception>(start);
        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        return validation.Message;
    }

    private static string DataDirectory() => Path.Combine(Path.GetTempPath(), "consentry-keyring-" + Guid.NewGuid().ToString("N")[..8]);

    private static WebApplicationFactory<Program> Production(string directory, Dictionary<string, string?> settings, LogCapture? logs = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(Environments.Production);
            b.UseSetting("Consentry:DataDirectory", directory);
            b.UseSetting("Consentry:Bootstrap:ApiKey", ApiKey);
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }

            if (logs is not null)
            {
                b.ConfigureLogging(l => l.AddProvider(logs));
            }
        });

    private static HttpClient Authorized(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ApiKey)));
        return client;
    }

    private static async Task<List<string>> KeysAsync(WebApplicationFactory<Program> factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsentryDbContext>().DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync();
    }
}
