using System.Globalization;

namespace Consentry.Querying.Tests;

/// <summary>
/// Seed and size of the seeded fuzz tests: fixed for CI, overridable for longer local runs with
/// <c>CONSENTRY_FUZZ_SEED</c> and <c>CONSENTRY_FUZZ_ITERATIONS</c>. Failures print the seed so a run can be repeated.
/// </summary>
internal static class FuzzSettings
{
    public static int Seed(int fallback) => Read("CONSENTRY_FUZZ_SEED") ?? fallback;

    public static int Iterations(int fallback) => Read("CONSENTRY_FUZZ_ITERATIONS") ?? fallback;

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
