using System.Security.Cryptography;
using StandardWebhook = global::StandardWebhooks.StandardWebhook;

namespace Consentry.Core.Webhooks;

/// <summary>
/// Standard Webhooks signatures (what Svix and Codat use) through the <c>StandardWebhooks</c> package:
/// <c>v1,&lt;base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"&gt;</c>, keyed with the base64 part of a <c>whsec_</c> secret.
/// Two things the package does not offer stay here: making a new secret, and signing with several secrets at once
/// (a rotation's old and new), which the specification sends as space-separated signatures in one header.
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";

    /// <summary>24 random bytes, base64, behind <c>whsec_</c> (the format Svix hands out).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>One <c>v1,…</c> signature; the package accepts the secret with or without its <c>whsec_</c> prefix.</summary>
    public static string Sign(string secret, string messageId, long timestamp, string body) =>
        new StandardWebhook(secret).Sign(messageId, DateTimeOffset.FromUnixTimeSeconds(timestamp), body);

    /// <summary>The header value for all currently valid secrets.</summary>
    public static string SignAll(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, messageId, timestamp, body)));

    /// <summary>The HMAC key of a secret (the base64 part, with or without <c>whsec_</c>), decoded once and reused for every send.</summary>
    public static byte[] Key(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    /// <summary>
    /// The same header value as <see cref="SignAll(IEnumerable{string}, string, long, string)"/>, from keys decoded once and
    /// the body's UTF-8 bytes encoded once per event (the delivery worker's path): one-shot HMACs, no hasher object, no
    /// copy of the body into a "{id}.{timestamp}.{body}" string. <c>WebhookSigningTests</c> holds it to the package.
    /// </summary>
    public static string SignAll(IReadOnlyList<byte[]> keys, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = System.Text.Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var header = new System.Text.StringBuilder(keys.Count * 48);
        foreach (var key in keys)
        {
            HMACSHA256.HashData(key, content, hash);
            header.Append(header.Length == 0 ? "v1," : " v1,").Append(Convert.ToBase64String(hash));
        }

        return header.ToString();
    }
}
