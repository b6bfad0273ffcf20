using System.ComponentModel.DataAnnotations;

namespace Consentry.Features.KeyRing;

/// <summary>Key rotation and the re-encryption job (<c>Consentry:Keys</c>), validated at start.</summary>
public sealed class KeyOptions
{
    public const string Section = "Consentry:Keys";

    /// <summary>Run the re-encryption job in this process (every instance may; a lease lets one at a time work).</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>Rows read and rewritten per batch (one short transaction each).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>How often an idle instance looks for a rotation to run or resume.</summary>
    [Range(10, 600_000)]
    public int PollMilliseconds { get; set; } = 5_000;

    /// <summary>
    /// How long the job's claim lasts without renewal (renewed every batch, and every third of this by a heartbeat while
    /// the job runs); if its instance dies, another resumes within this (plus a poll).
    /// </summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 5;

    /// <summary>How often each instance checks the shared key ring for keys added or revoked by another instance.</summary>
    [Range(10, 3_600_000)]
    public int RingCheckMilliseconds { get; set; } = 30_000;

    /// <summary>Lifetime of a key created by a rotation (Data Protection's default is 90 days).</summary>
    [Range(7, 3650)]
    public int NewKeyLifetimeDays { get; set; } = 90;
}

/// <summary>
/// Protection of the key ring itself at rest (<c>Consentry:DataProtection</c>): one of a certificate, a key-encryption
/// key or a file holding one. Outside Development one is required unless <see cref="AllowUnprotectedKeys"/> is set.
/// </summary>
public sealed class KeyRingProtectionOptions
{
    public const string Section = "Consentry:DataProtection";

    /// <summary>Base64 of 32 random bytes (<c>openssl rand -base64 32</c>) that encrypts every key with AES-256-GCM.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>A file (outside the data directory) holding <see cref="KeyEncryptionKey"/>, e.g. a mounted secret.</summary>
    public string? KeyEncryptionKeyFile { get; set; }

    /// <summary>The operator's explicit choice to keep the keys unencrypted beside the data outside Development.</summary>
    public bool AllowUnprotectedKeys { get; set; }

    /// <summary>A PFX file whose certificate encrypts every key's XML before it is stored (and decrypts it when read).</summary>
    public string? KeyEncryptionCertificate { get; set; }

    public string? KeyEncryptionCertificatePassword { get; set; }
}
