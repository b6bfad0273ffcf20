using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Consentry.Features.KeyRing;

/// <summary>
/// A 256-bit key held outside the database (an environment variable or a file the operator mounts) that encrypts each
/// Data Protection key with AES-256-GCM before it is stored in <c>data_protection_keys</c>. Data Protection's own
/// encryptors need a certificate, Windows DPAPI or a cloud key vault; this is the one-secret option for everything else.
/// </summary>
internal sealed class KeyEncryptionKey
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Context = Encoding.UTF8.GetBytes("Consentry key ring v1");
    private static readonly XNamespace Ns = "urn:consentry:keyring:v1";
    private readonly byte[] _key;

    public KeyEncryptionKey(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("A key-encryption key has 32 bytes.", nameof(key));
        }

        _key = key;
        // Names the key in each stored element, so a ring written under another key fails with a clear message.
        Id = Convert.ToHexStringLower(SHA256.HashData(key))[..16];
    }

    public string Id { get; }

    /// <summary>The key as the settings give it: base64 of 32 random bytes (<c>openssl rand -base64 32</c>); null when it is not.</summary>
    public static KeyEncryptionKey? Parse(string? text)
    {
        var buffer = new byte[64];
        return Convert.TryFromBase64String(text?.Trim() ?? "", buffer, out var length) && length == 32 ? new KeyEncryptionKey(buffer[..32]) : null;
    }

    public XElement Encrypt(XElement plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key, TagSize))
        {
            aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Context);
        }

        return new XElement(Ns + "encryptedKey", new XAttribute("keyEncryptionKeyId", Id), new XAttribute("algorithm", "AES-256-GCM"),
            new XElement(Ns + "value", Convert.ToBase64String(sealedBytes)));
    }

    public XElement Decrypt(XElement encrypted)
    {
        var id = (string?)encrypted.Attribute("keyEncryptionKeyId");
        if (id != Id)
        {
            throw new CryptographicException(
                $"This Data Protection key was encrypted with the key-encryption key {id}, not with the configured one ({Id}). " +
                "Give every instance the same Consentry__DataProtection__KeyEncryptionKey (or …KeyEncryptionKeyFile).");
        }

        var sealedBytes = Convert.FromBase64String((string)encrypted.Element(Ns + "value")!);
        var data = new byte[sealedBytes.Length - NonceSize - TagSize];
        using (var aes = new AesGcm(_key, TagSize))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), data, Context);
        }

        return XElement.Parse(Encoding.UTF8.GetString(data));
    }
}

/// <summary>Data Protection's hook for encrypting a key before the repository stores it.</summary>
internal sealed class KeyEncryptionKeyEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(key.Encrypt(plaintextElement), typeof(KeyEncryptionKeyDecryptor));
}

/// <summary>
/// Created by Data Protection from the type name stored beside each encrypted key, with the application's services
/// (its activator passes the <see cref="IServiceProvider"/> to this constructor).
/// </summary>
internal sealed class KeyEncryptionKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        (services.GetService<KeyEncryptionKey>() ?? throw new CryptographicException(
            "The key ring is encrypted with a key-encryption key, but none is configured: set Consentry__DataProtection__KeyEncryptionKey " +
            "or Consentry__DataProtection__KeyEncryptionKeyFile to the key the ring was written with."))
        .Decrypt(encryptedElement);
}
