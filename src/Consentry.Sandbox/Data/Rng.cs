using System.Security.Cryptography;
using System.Text;

namespace Consentry.Sandbox.Data;

/// <summary>
/// A small deterministic generator (SplitMix64). Unlike <see cref="Random"/>, its sequence is ours to keep stable
/// across .NET versions, and one can be started for any (collection, index) without generating the records before it.
/// </summary>
internal struct Rng
{
    private ulong _state;

    public Rng(ulong state) => _state = state;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    public int Int(int maxExclusive) => (int)(Next() % (ulong)maxExclusive);

    public int Range(int minInclusive, int maxExclusive) => minInclusive + Int(maxExclusive - minInclusive);

    public bool Chance(int percent) => Int(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(items.Count)];

    /// <summary>An amount with two decimals in [min, max).</summary>
    public decimal Money(decimal min, decimal max)
    {
        var cents = (long)(min * 100) + (long)(Next() % (ulong)((max - min) * 100));
        return cents / 100m;
    }

    public Guid Guid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Next());
        BitConverter.TryWriteBytes(bytes[8..], Next());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // looks like a version-4 GUID
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public string Digits(int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('0' + Int(10));
        }

        return new string(chars);
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The seed of one user's data at one platform: the same user always sees the same records.</summary>
internal readonly record struct UserSeed(ulong Value)
{
    public static UserSeed For(string platformKey, string username)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"consentry-sandbox|{platformKey}|{username}"));
        return new UserSeed(BitConverter.ToUInt64(hash, 0));
    }

    /// <summary>An independent stream for record <paramref name="index"/> of collection <paramref name="tag"/>.</summary>
    public Rng For(int tag, int index) =>
        new(Rng.Mix(Value ^ Rng.Mix(((ulong)(uint)tag << 32) | (uint)index)));

    public Guid Id(int tag, int index) => For(tag, index).Guid();

    public int Count(int tag, int min, int maxExclusive) => For(tag, -1).Range(min, maxExclusive);
}
