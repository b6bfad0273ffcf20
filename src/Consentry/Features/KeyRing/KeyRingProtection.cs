using System.Security.Cryptography.X509Certificates;
using Consentry.Infrastructure.Options;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Consentry.Features.KeyRing;

/// <summary>
/// Keys not beside the data they protect: the key ring is stored in the database, so unencrypted it lets one copy of
/// the database decrypt every platform token and secret. Outside Development, Consentry refuses to start without a
/// protection kept elsewhere (a certificate, a key from the environment or from a file), unless the operator opts out
/// by name. Decided while the host is built, so neither the server nor a key command writes an unprotected key first.
/// </summary>
internal static class KeyRingProtection
{
    public const string Refusal =
        "Consentry does not start without protection for its Data Protection key ring outside Development: the keys that encrypt " +
        "every stored platform token and secret would sit unencrypted in the same database (data_protection_keys), so one copy " +
        "of the database would decrypt them all. Set one of Consentry__DataProtection__KeyEncryptionKey (base64 of 32 random " +
        "bytes: openssl rand -base64 32), Consentry__DataProtection__KeyEncryptionKeyFile (a file outside the data directory " +
        "holding such a key) or Consentry__DataProtection__KeyEncryptionCertificate (a PFX), the same on every instance. To " +
        "run without (not recommended), set Consentry__DataProtection__AllowUnprotectedKeys=true. See docs/security.md, " +
        "\"Protecting the key ring at rest\".";

    public static void Configure(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeyRingProtectionOptions.Section).Get<KeyRingProtectionOptions>() ?? new();
        var chosen = new[] { options.KeyEncryptionCertificate, options.KeyEncryptionKey, options.KeyEncryptionKeyFile }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (chosen > 1)
        {
            throw Refuse("Set only one of Consentry__DataProtection__KeyEncryptionCertificate, Consentry__DataProtection__KeyEncryptionKey and Consentry__DataProtection__KeyEncryptionKeyFile.");
        }

        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionCertificate))
        {
            // Each key's XML is encrypted with the certificate before it reaches the database (and decrypted with it when read).
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.KeyEncryptionCertificate, options.KeyEncryptionCertificatePassword);
            builder.Services.AddDataProtection().ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        else if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            Use(builder, KeyEncryptionKey.Parse(options.KeyEncryptionKey)
                ?? throw Refuse("Consentry__DataProtection__KeyEncryptionKey must be base64 of 32 random bytes (openssl rand -base64 32)."));
        }
        else if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKeyFile))
        {
            Use(builder, FromFile(options.KeyEncryptionKeyFile, builder.Configuration[$"{ConsentryOptions.Section}:DataDirectory"]));
        }
        else
        {
            if (!builder.Environment.IsDevelopment() && !options.AllowUnprotectedKeys)
            {
                throw Refuse(Refusal);
            }

            // Data Protection's own warning names neither the place nor the remedy: KeyRingNotice says both, once, at start.
            builder.Logging.AddFilter(KeyRingNotice.FrameworkCategory, LogLevel.Error);
            builder.Services.AddHostedService<KeyRingNotice>();
        }
    }

    private static void Use(WebApplicationBuilder builder, KeyEncryptionKey key)
    {
        builder.Services.AddSingleton(key);
        builder.Services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new KeyEncryptionKeyEncryptor(key));
    }

    private static KeyEncryptionKey FromFile(string file, string? dataDirectory)
    {
        var path = Path.GetFullPath(file);
        var data = Path.GetFullPath(dataDirectory ?? new ConsentryOptions().DataDirectory);
        if (path.StartsWith(Path.TrimEndingDirectorySeparator(data) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Refuse($"Consentry__DataProtection__KeyEncryptionKeyFile ({path}) is inside the data directory ({data}): keep the key away from the data it protects.");
        }

        if (!File.Exists(path))
        {
            throw Refuse($"Consentry__DataProtection__KeyEncryptionKeyFile names {path}, which does not exist or cannot be read.");
        }

        return KeyEncryptionKey.Parse(File.ReadAllText(path))
            ?? throw Refuse($"Consentry__DataProtection__KeyEncryptionKeyFile ({path}) must hold base64 of 32 random bytes (openssl rand -base64 32).");
    }

    private static OptionsValidationException Refuse(string message) =>
        new(KeyRingProtectionOptions.Section, typeof(KeyRingProtectionOptions), [message]);
}
