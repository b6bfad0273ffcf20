namespace Consentry.Features.KeyRing;

/// <summary>
/// Says at start, loudly, that the Data Protection keys are stored unencrypted beside the data, and how to protect
/// them: in Development (where this is allowed) and when the operator opted out with
/// <c>Consentry__DataProtection__AllowUnprotectedKeys</c>. It replaces Data Protection's own warning ("No XML encryptor
/// configured. Key … may be persisted to storage in unencrypted form"), which names neither the place nor the remedy
/// and appears only when a key is created.
/// </summary>
internal sealed class KeyRingNotice(ILogger<KeyRingNotice> logger, IHostEnvironment environment) : IHostedService
{
    /// <summary>The framework category whose warnings this notice stands for; its errors still reach the log.</summary>
    public const string FrameworkCategory = "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var why = environment.IsDevelopment()
            ? "allowed in Development only; in any other environment Consentry refuses to start like this"
            : "allowed because Consentry__DataProtection__AllowUnprotectedKeys is set";
        logger.LogWarning(
            "UNPROTECTED KEY RING ({Why}). The Data Protection keys (they encrypt the stored platform tokens, OAuth and webhook " +
            "secrets) are kept in this database's data_protection_keys table without encryption of their own, so a copy of the " +
            "database holds both. Protect them with a key kept outside the database, the same on every instance: " +
            "Consentry__DataProtection__KeyEncryptionKey (openssl rand -base64 32), Consentry__DataProtection__KeyEncryptionKeyFile " +
            "or Consentry__DataProtection__KeyEncryptionCertificate (docs/security.md, \"Protecting the key ring at rest\").",
            why);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
