using System.Buffers.Binary;
using System.Security.Cryptography;
using Consentry.Core.Link;

namespace Consentry.Features.Monitoring.Experiments;

/// <summary>
/// Which variant a company sees: SHA-256 of the experiment and company ids gives a number in [0, 10 000), the same on
/// every instance and every view; the variants' weights cut that range into buckets. Only a company's first view uses it
/// (the answer is then recorded), so stopping a variant moves new companies only.
/// </summary>
public static class VariantAssigner
{
    public const int Buckets = 10_000;

    public static int Bucket(Guid experimentId, Guid companyId)
    {
        Span<byte> input = stackalloc byte[32];
        experimentId.TryWriteBytes(input[..16], bigEndian: true, out _);
        companyId.TryWriteBytes(input[16..], bigEndian: true, out _);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
    }

    /// <summary>The variant for a company among those still running, or null when every variant is stopped.</summary>
    public static ExperimentVariant? Choose(Guid experimentId, IReadOnlyList<ExperimentVariant> variants, Guid companyId)
    {
        var open = variants.Where(v => !v.Stopped && v.Weight > 0).ToList();
        var total = open.Sum(v => v.Weight);
        if (total == 0)
        {
            return null;
        }

        // Scale the bucket to the total weight: weights 1:1 give halves, 1:3 a quarter and three quarters.
        var point = (long)Bucket(experimentId, companyId) * total / Buckets;
        foreach (var variant in open)
        {
            point -= variant.Weight;
            if (point < 0)
            {
                return variant;
            }
        }

        return open[^1];
    }
}
