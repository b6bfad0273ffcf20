using System.Text.RegularExpressions;
using Consentry.Api.Tests.Cluster;

namespace Consentry.Api.Tests.Docs;

/// <summary>The repository's README.md, read the way a newcomer reads it: its start command and its tour's bash blocks.</summary>
internal sealed partial class Readme
{
    /// <summary>Written on the line before a bash block that the tour test must not run, with the reason in brackets.</summary>
    public const string SkipMarker = "<!-- tour-test: skip";

    private readonly string[] _lines;

    private Readme(string[] lines) => _lines = lines;

    public static Readme Load() => new(File.ReadAllLines(Path.Combine(NginxProcess.RepositoryRoot(), "README.md")));

    /// <summary>The <c>NAME=value</c> settings in front of the first <c>dotnet run --project src/Consentry</c> of the README.</summary>
    public IReadOnlyDictionary<string, string> StartCommandEnvironment()
    {
        var line = BashBlocks(0, _lines.Length).SelectMany(b => b.Split('\n'))
            .First(l => l.Contains("dotnet run --project src/Consentry", StringComparison.Ordinal));
        return Assignment().Matches(line[..line.IndexOf("dotnet run", StringComparison.Ordinal)])
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    /// <summary>
    /// Every bash block from the heading <paramref name="firstHeading"/> up to (not including) <paramref name="endHeading"/>,
    /// in order, except those marked with <see cref="SkipMarker"/>: a block added to those sections is run by default.
    /// </summary>
    public IReadOnlyList<string> TourBlocks(string firstHeading, string endHeading)
    {
        var start = Array.FindIndex(_lines, l => l == firstHeading);
        var end = Array.FindIndex(_lines, start + 1, l => l == endHeading);
        Assert.True(start >= 0 && end > start, $"README.md has no '{firstHeading}' followed by '{endHeading}'.");
        return BashBlocks(start, end).ToList();
    }

    private IEnumerable<string> BashBlocks(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (_lines[i] != "```bash")
            {
                continue;
            }

            var close = Array.FindIndex(_lines, i + 1, l => l == "```");
            var previous = _lines.Take(i).LastOrDefault(l => l.Trim().Length > 0) ?? "";
            if (!previous.StartsWith(SkipMarker, StringComparison.Ordinal))
            {
                yield return string.Join('\n', _lines[(i + 1)..close]);
            }

            i = close;
        }
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S+)")]
    private static partial Regex Assignment();
}
