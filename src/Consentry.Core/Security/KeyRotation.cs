namespace Consentry.Core.Security;

/// <summary>
/// One key rotation: the Data Protection key that became the default, and the re-encryption job that moves every stored
/// ciphertext onto it. The job is claimed with a lease (<see cref="LeaseOwner"/> until <see cref="LeaseExpires"/>) so one
/// instance runs it at a time and another resumes it after a crash; its progress is per table in <see cref="KeyRotationCursor"/>.
/// </summary>
public sealed class KeyRotation
{
    public Guid Id { get; set; }

    /// <summary>The Data Protection key id every ciphertext must end under.</summary>
    public Guid NewKeyId { get; set; }

    public DateTime Requested { get; set; }

    /// <summary>Revoke every other key once no stored ciphertext references it (signs portal users out; see docs/security.md).</summary>
    public bool RevokeOldKeys { get; set; }

    /// <summary>Full walks over the tables so far; the job ends after a walk that found nothing left to rewrite.</summary>
    public int Pass { get; set; }

    /// <summary>Ciphertexts rewritten in the current walk.</summary>
    public long RewrittenThisPass { get; set; }

    public long RewrittenTotal { get; set; }

    /// <summary>Ciphertexts that could not be decrypted (their key is gone); they are left as they are and counted.</summary>
    public long Unreadable { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpires { get; set; }

    public DateTime? Completed { get; set; }

    /// <summary>How the job ended (e.g. which keys were revoked, or why none were).</summary>
    public string? Outcome { get; set; }
}

/// <summary>Where the current walk of one table stands: the last key rewritten (keyset order), or done.</summary>
public sealed class KeyRotationCursor
{
    public Guid RotationId { get; set; }

    public required string TableName { get; set; }

    public string? After { get; set; }

    public bool Done { get; set; }
}

/// <summary>Reads the key id out of a Data Protection payload (as <c>IDataProtector.Protect(string)</c> writes it).</summary>
public static class ProtectedPayload
{
    // The payload is base64url of: magic header (4 bytes, 0x09F0C9F0), the key id (16 bytes, Guid layout), then the ciphertext.
    private static ReadOnlySpan<byte> MagicHeader => [0x09, 0xF0, 0xC9, 0xF0];

    public static Guid? KeyIdOf(string? payload)
    {
        if (string.IsNullOrEmpty(payload))
        {
            return null;
        }

        try
        {
            var bytes = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(payload);
            return bytes.Length >= 20 && bytes.AsSpan(0, 4).SequenceEqual(MagicHeader) ? new Guid(bytes.AsSpan(4, 16)) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
