using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Portal;
using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Integrations;

/// <summary>The operator uploads integration logos in the portal; the Link page shows them; unsafe files are refused.</summary>
public abstract partial class IntegrationLogoTests(PortalApp app)
{
    private const string Page = "/portal/operator/logos";

    // A real 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task UploadedPng_IsWhatTheLinkConnectPageShows_WithETag_AndRemovingItRestoresTheDefault()
    {
        using var session = await OperatorAsync();
        var companyId = await app.Alpha().CreateCompanyAsync("Logo Ltd");
        var drawn = await GetImageAsync(await LogoSrcAsync(session, companyId, "sbac"));

        using var uploaded = await UploadAsync(session, "sbac", "logo-square", "sbac.png", Png);
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        Assert.Contains("sbac/logo-square", await session.GetAsync(Page), StringComparison.Ordinal);

        var src = await LogoSrcAsync(session, companyId, "sbac");
        using var image = await app.Anonymous().GetAsync(src);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Png, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'", image.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(image.Headers.CacheControl!.Public);
        var etag = image.Headers.ETag!;
        Assert.NotEqual(drawn.ETag, etag.Tag);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, src);
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await app.Anonymous().SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var removed = await session.SubmitAsync(Page, $"{Page}?handler=Remove", new() { ["platformKey"] = "sbac", ["variant"] = "logo-square" });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var back = await GetImageAsync(await LogoSrcAsync(session, companyId, "sbac"));
        Assert.Equal("image/svg+xml", back.ContentType);
        Assert.Equal(drawn.ETag, back.ETag);
        Assert.Equal(0, await StoredAsync("sbac"));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "<script> element")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"4\" height=\"4\"/></svg>", "event handler attributes (onload)")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"https://evil.test/x.png\"/></svg>", "references outside the file")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"https://evil.test/sprite.svg#a\"/></svg>", "references outside the file")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><p xmlns=\"http://www.w3.org/1999/xhtml\">x</p></foreignObject></svg>", "<foreignObject> element")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"javascript:alert(1)\"><rect width=\"4\" height=\"4\"/></a></svg>", "references outside the file")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><style>rect { fill: URL(https://evil.test/p) }</style></svg>", "style sheets may only point inside the file")]
    public async Task UnsafeSvg_IsRefusedWithItsReason_AndNothingIsStored(string svg, string reason)
    {
        using var session = await OperatorAsync();

        using var response = await UploadAsync(session, "sbbk", "logo-square", "logo.svg", Encoding.UTF8.GetBytes(svg));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("This SVG is refused", html, StringComparison.Ordinal);
        Assert.Contains(reason, html, StringComparison.Ordinal);
        Assert.Equal(0, await StoredAsync("sbbk"));
    }

    [Fact]
    public async Task SafeSvg_WithLocalReferences_IsAcceptedAndServedAsSvg()
    {
        using var session = await OperatorAsync();
        const string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><defs><linearGradient id=\"g\"/></defs>"
                           + "<rect width=\"4\" height=\"4\" fill=\"url(#g)\"/><use href=\"#g\"/></svg>";

        using var response = await UploadAsync(session, "sbcm", "logo-full", "logo.svg", Encoding.UTF8.GetBytes(svg));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var image = await GetImageAsync("/branding/sbcm/logo-full.svg");
        Assert.Equal("image/svg+xml", image.ContentType);
        Assert.Equal(svg, Encoding.UTF8.GetString(image.Content));
        using var removed = await session.SubmitAsync(Page, $"{Page}?handler=Remove", new() { ["platformKey"] = "sbcm", ["variant"] = "logo-full" });
        Assert.Equal(0, await StoredAsync("sbcm"));
    }

    [Fact]
    public async Task NonImageBytesNamedPng_AndFilesOver256KB_AreRefused()
    {
        using var session = await OperatorAsync();

        using var text = await UploadAsync(session, "gbol", "logo-square", "logo.png", "MZ\u0090 this is not an image"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Contains("The file is not a PNG, WebP or SVG image.", await text.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var big = new byte[(256 * 1024) + 1];
        Png.CopyTo(big, 0);
        using var tooBig = await UploadAsync(session, "gbol", "logo-square", "big.png", big);
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("at most 256 KB", await tooBig.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredAsync("gbol"));
    }

    [Fact]
    public async Task NonOperator_CannotSeeThePage_NorUpload()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            if (!await db.PortalUsers.IgnoreQueryFilters().AnyAsync(u => u.Email == "logos@beta.test"))
            {
                var betaId = await db.Clients.Where(c => c.Name == "Beta").Select(c => c.Id).SingleAsync();
                var (user, error) = await scope.ServiceProvider.GetRequiredService<PortalAccounts>()
                    .CreateUserAsync(betaId, "logos@beta.test", "beta-logo-password", false, CancellationToken.None);
                Assert.True(user is not null, error);
            }
        }

        using var beta = app.Session();
        await beta.SignInAsync("logos@beta.test", "beta-logo-password");
        await beta.GetAsync(Page, HttpStatusCode.Redirect);

        // Even with a valid token of its own session (from a page it may see), the upload is not authorised.
        using var response = await PostFileAsync(beta, PortalSession.Token(await beta.GetAsync("/portal/settings/link")), "qhyg", "logo-square", "x.png", Png);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.StatusCode != HttpStatusCode.Redirect || !response.Headers.Location!.ToString().Contains("operator/logos", StringComparison.Ordinal));
        Assert.Equal(0, await StoredAsync("qhyg"));
    }

    private async Task<PortalSession> OperatorAsync()
    {
        var session = app.Session();
        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);
        return session;
    }

    private static async Task<HttpResponseMessage> UploadAsync(PortalSession session, string platformKey, string variant, string fileName, byte[] content) =>
        await PostFileAsync(session, PortalSession.Token(await session.GetAsync(Page)), platformKey, variant, fileName, content);

    private static async Task<HttpResponseMessage> PostFileAsync(PortalSession session, string token, string platformKey, string variant, string fileName, byte[] content)
    {
        var file = new ByteArrayContent(content);
        // The browser's guess from the name; the server must judge the bytes, not this.
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".svg", StringComparison.Ordinal) ? "image/svg+xml" : "image/png");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(platformKey), "platformKey" },
            { new StringContent(variant), "variant" },
            { file, "file", fileName },
        };
        return await session.Http.PostAsync($"{Page}?handler=Upload", form);
    }

    private static async Task<string> LogoSrcAsync(PortalSession session, string companyId, string platformKey)
    {
        var html = await session.GetAsync($"/link/company/{companyId}?step=connect");
        var match = LogoImg().Matches(html).FirstOrDefault(m => m.Groups[1].Value.Contains($"/{platformKey}/", StringComparison.Ordinal));
        Assert.True(match is not null, $"No logo img for {platformKey} on the connect page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private async Task<(string ContentType, string ETag, byte[] Content)> GetImageAsync(string src)
    {
        using var response = await app.Anonymous().GetAsync(src);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentType!.MediaType!, response.Headers.ETag!.Tag, await response.Content.ReadAsByteArrayAsync());
    }

    private Task<int> StoredAsync(string platformKey) => app.WithDbAsync(db => db.IntegrationLogos.CountAsync(l => l.PlatformKey == platformKey));

    [GeneratedRegex("<img src=\"(/branding/[^\"]+)\"")]
    private static partial Regex LogoImg();
}

public sealed class IntegrationLogoTests_Sqlite(SqlitePortalApp app) : IntegrationLogoTests(app), IClassFixture<SqlitePortalApp>;

public sealed class IntegrationLogoTests_Postgres(PostgresPortalApp app) : IntegrationLogoTests(app), IClassFixture<PostgresPortalApp>;
