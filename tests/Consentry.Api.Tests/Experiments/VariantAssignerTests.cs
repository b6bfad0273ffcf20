using Consentry.Core.Link;
using Consentry.Features.Monitoring.Experiments;

namespace Consentry.Api.Tests.Experiments;

/// <summary>The assignment itself: a pure function of the experiment and company ids, balanced by the weights.</summary>
public sealed class VariantAssignerTests
{
    private static readonly Guid ExperimentId = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");

    [Fact]
    public void Assignment_IsTheSameOnEveryCall()
    {
        var variants = Variants(1, 1);
        var companies = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();

        var first = companies.Select(c => VariantAssigner.Choose(ExperimentId, variants, c)!.Key).ToList();
        var again = companies.Select(c => VariantAssigner.Choose(ExperimentId, Variants(1, 1), c)!.Key).ToList();

        Assert.Equal(first, again);
        Assert.Contains("a", first);
        Assert.Contains("b", first);
    }

    [Theory]
    [InlineData("1,1")]
    [InlineData("1,1,1")]
    [InlineData("1,3")]
    public void Assignment_Over10000Companies_IsWithin2PercentOfTheWeights(string split)
    {
        var weights = split.Split(',').Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var variants = Variants(weights);
        // Fixed company ids (a seeded generator), so the test reads the same every run.
        var random = new Random(19);
        var counts = variants.ToDictionary(v => v.Key, _ => 0);
        for (var i = 0; i < 10_000; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            counts[VariantAssigner.Choose(ExperimentId, variants, new Guid(bytes))!.Key]++;
        }

        foreach (var variant in variants)
        {
            var expected = 100.0 * variant.Weight / weights.Sum();
            var actual = counts[variant.Key] / 100.0;
            Assert.True(Math.Abs(actual - expected) <= 2, $"{variant.Key}: {actual} % of companies, expected {expected} % ± 2");
        }
    }

    [Fact]
    public void StoppedVariants_TakeNoNewCompanies()
    {
        var variants = Variants(1, 1);
        variants[1].Stopped = true;

        var keys = Enumerable.Range(0, 500).Select(_ => VariantAssigner.Choose(ExperimentId, variants, Guid.NewGuid())!.Key).Distinct();

        Assert.Equal(["a"], keys);
        variants[0].Stopped = true;
        Assert.Null(VariantAssigner.Choose(ExperimentId, variants, Guid.NewGuid()));
    }

    [Fact]
    public void RateDifference_IsTheTwoProportionZInterval()
    {
        // Control 1 of 4 (25 %), variant 2 of 3 (66.7 %): difference 41.7 points;
        // se = sqrt(.25 × .75 / 4 + (2/3)(1/3) / 3) = 0.34778; ±1.96 se = ±68.2 points: -26.5 to 109.8, not significant.
        var d = RateDifference.Of("control", 4, 1, 3, 2)!;
        Assert.Equal((41.7, -26.5, 109.8, false), (d.Difference, d.Low, d.High, d.Significant));

        // 400/1000 against 500/1000: -10 ± 4.3 points (se 0.02214): significant.
        var e = RateDifference.Of("control", 1000, 500, 1000, 400)!;
        Assert.Equal((-10.0, -14.3, -5.7, true), (e.Difference, e.Low, e.High, e.Significant));

        Assert.Null(RateDifference.Of("control", 0, 0, 3, 2));
    }

    private static List<ExperimentVariant> Variants(params int[] weights) =>
        [.. weights.Select((w, i) => new ExperimentVariant { Id = Guid.NewGuid(), Key = ((char)('a' + i)).ToString(), Weight = w })];
}
