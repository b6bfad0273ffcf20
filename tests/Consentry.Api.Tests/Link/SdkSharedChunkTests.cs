using System.Net;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// The SDK (<c>/sdk/link.js</c>) and the journey in its iframe (<c>/link/embed.js</c>) import the code they share from
/// one module under <c>/sdk/chunks/</c> instead of each carrying a copy; that module is served like the SDK (to any
/// origin, for an app's page) and, named by its content's hash, cached for good. Static files only: one database is enough.
/// </summary>
public sealed partial class SdkSharedChunkTests(SqliteLinkApp app) : IClassFixture<SqliteLinkApp>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(app.BaseUrl) };

    [Fact]
    public async Task SdkAndEmbeddedJourney_ImportOneSharedChunk_ServedToAnyOriginAndCachedForGood()
    {
        using var sdk = await _http.GetAsync("/sdk/link.js");
        using var embed = await _http.GetAsync("/link/embed.js");
        var sdkCode = await sdk.Content.ReadAsStringAsync();
        var embedCode = await embed.Content.ReadAsStringAsync();

        var chunk = Assert.Single(Imports(sdkCode, "/sdk/link.js"));
        Assert.Equal([chunk], Imports(embedCode, "/link/embed.js"));
        Assert.Matches(ChunkPath(), chunk);

        using var request = new HttpRequestMessage(HttpMethod.Get, chunk);
        request.Headers.Add("Origin", "https://copay.example");
        using var shared = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.Contains("javascript", shared.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Equal("*", shared.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("cross-origin", shared.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
        Assert.Equal("public, max-age=31536000, immutable", shared.Headers.CacheControl!.ToString());
        // The SDK's own URL never changes, so it is revalidated: a new build's SDK names its new chunk at once.
        Assert.Equal("no-cache", sdk.Headers.CacheControl!.ToString());

        // The protocol's envelope names and the texts in five languages are in the chunk, and in neither bundle.
        var sharedCode = await shared.Content.ReadAsStringAsync();
        foreach (var marker in new[] { "\"consentry-sdk\"", "\"consentry-popup\"", "Bankrekeningen" })
        {
            Assert.Contains(marker, sharedCode, StringComparison.Ordinal);
            Assert.DoesNotContain(marker, sdkCode, StringComparison.Ordinal);
            Assert.DoesNotContain(marker, embedCode, StringComparison.Ordinal);
        }
    }

    /// <summary>The paths of the modules a built module imports statically, resolved against its own path.</summary>
    private static List<string> Imports(string code, string path) =>
        [.. StaticImport().Matches(code).Select(m => new Uri(new Uri("https://consentry.test" + path), m.Groups[1].Value).AbsolutePath).Distinct()];

    [GeneratedRegex("""(?:^|;|\n)\s*(?:import|export)\s*(?:[^"';]*?\sfrom\s*)?"(\.{1,2}/[^"]+)";""")]
    private static partial Regex StaticImport();

    [GeneratedRegex("^/sdk/chunks/shared-[A-Z0-9]+\\.js$")]
    private static partial Regex ChunkPath();

    public void Dispose() => _http.Dispose();
}
