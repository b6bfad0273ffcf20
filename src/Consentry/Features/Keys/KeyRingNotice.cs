namespace Consentry.Features.Keys;

/// <summary>
/// Says at start, in one line, where the Data Protection keys are and how to encrypt them, when no certificate does.
/// It replaces Data Protection's own warning ("No XML encryptor configured. Key … may be persisted to storage in
/// unencrypted form"), which names neither the place nor the remedy and appears only when a key is created.
/// </summary>
internal sealed class KeyRingNotice(ILogger<KeyRingNotice> logger) : IHostedService
{
    /// <summary>The framework category whose warnings this notice stands for; its errors still reach the log.</summary>
    public const string FrameworkCategory = "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "The Data Protection keys (they encrypt the stored OAuth and webhook secrets) are kept in this database's " +
            "data_protection_keys table without encryption of their own, so a copy of the database holds both. To encrypt " +
            "them at rest, give every instance a certificate: Consentry__DataProtection__KeyEncryptionCertificate (docs/security.md, " +
            "\"Protecting the key ring at rest\").");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
