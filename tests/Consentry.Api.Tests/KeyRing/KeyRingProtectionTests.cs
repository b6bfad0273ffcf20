using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.KeyRing;

/// <summary>The host with <c>Consentry:DataProtection:KeyEncryptionCertificate</c> set (a self-signed PFX made here).</summary>
public sealed class CertificateKeyRingApp() : ConsentryApp(DatabaseProvider.Sqlite)
{
    private readonly string _pfx = CreateCertificate();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Consentry:DataProtection:KeyEncryptionCertificate"] = _pfx,
        ["Consentry:DataProtection:KeyEncryptionCertificatePassword"] = "pfx-password",
    };

    private static string CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Consentry key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(Path.GetTempPath(), $"consentry-keyring-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        return path;
    }
}

public sealed class KeyRingProtectionTests(CertificateKeyRingApp app) : IClassFixture<CertificateKeyRingApp>
{
    [Fact]
    public async Task KeyRing_WithACertificateConfigured_IsStoredEncrypted_AndSecretsStillRoundTrip()
    {
        var api = app.Beta();
        await api.PutJsonAsync("/integrations/gbol/settings", new { oauthClientId = "id", oauthClientSecret = "secret-under-an-encrypted-ring" }).ExpectAsync(HttpStatusCode.OK);
        var consumer = await api.PostJsonAsync("/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "company.created" }, companyTags = new[] { "never:matched" } })
            .ExpectAsync(HttpStatusCode.Created);
        var id = consumer["id"]!.GetValue<string>();
        var first = (await api.GetAsync($"/webhooks/{id}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>();

        var keys = await app.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
        Assert.Equal(first, (await api.GetAsync($"/webhooks/{id}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>());
    }
}
