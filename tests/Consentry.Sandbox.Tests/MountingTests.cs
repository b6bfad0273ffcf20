using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consentry.Sandbox.Tests;

/// <summary>Mounted in another host, as Consentry will: its own prefix, and a host that requires authentication everywhere.</summary>
public sealed class MountingTests
{
    [Fact]
    public async Task MapConsentrySandbox_InAHostRequiringAuthentication_ServesAnonymouslyUnderItsPrefix()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DefaultClientRedirectUris:0"] = "https://consentry.test/callback",
        }).Build();
        builder.Services.AddConsentrySandbox(section);
        builder.Services.AddAuthentication(NobodyHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, NobodyHandler>(NobodyHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/private", () => "not for you");
        app.MapConsentrySandbox("/platforms/sandbox/");
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var hostRoute = await client.GetAsync(new Uri("/private", UriKind.Relative));
        using var login = await client.GetAsync(new Uri(
            "/platforms/sandbox/sbac/oauth/authorize?response_type=code&client_id=consentry-local"
            + "&redirect_uri=https%3A%2F%2Fconsentry.test%2Fcallback&state=s&code_challenge_method=S256"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, hostRoute.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("action=\"/platforms/sandbox/sbac/oauth/login\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed class NobodyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Nobody";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
