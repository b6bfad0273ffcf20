using System.Text.Json;
using Consentry.Sandbox.Data;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Consentry.Sandbox.Tests;

public sealed class PkceTests
{
    [Fact]
    public void Challenge_Rfc7636AppendixBVerifier_GivesThePublishedChallenge() =>
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

    [Theory]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", true)]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK", false)]
    [InlineData("too-short", false)]
    public void Verify_Verifier_MatchesOnlyTheRightOne(string verifier, bool expected) =>
        Assert.Equal(expected, Pkce.Verify(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
}

public sealed class DataGenerationTests
{
    [Theory]
    [InlineData("sbac", "invoices")]
    [InlineData("sbbk", "transactions")]
    [InlineData("sbcm", "orders")]
    public void Generate_SameUser_SameRecords_DifferentUser_DifferentRecords(string platform, string path)
    {
        var endpoint = Platforms.SandboxPlatforms.All.Single(p => p.Key == platform).Endpoints
            .OfType<CollectionEndpoint>().Single(e => e.Path == path);

        string Render(string user, int index)
        {
            var seed = UserSeed.For(platform, user);
            return JsonSerializer.Serialize(endpoint.Item(seed, index, endpoint.Modified(seed, index)));
        }

        Assert.Equal(Render("user_good", 42), Render("user_good", 42));
        Assert.NotEqual(Render("user_good", 42), Render("user_other", 42));
        Assert.NotEqual(Render("user_good", 42), Render("user_good", 43));
        Assert.InRange(endpoint.Count(UserSeed.For(platform, "user_good")), 1000, 10_000);
    }

    [Fact]
    public void Generate_ModifiedDates_LieInTheFixedWindow()
    {
        var seed = UserSeed.For("sbac", "user_good");
        foreach (var endpoint in Platforms.SandboxPlatforms.All.SelectMany(p => p.Endpoints).OfType<CollectionEndpoint>())
        {
            Assert.All(Enumerable.Range(0, Math.Min(endpoint.Count(seed), 200)), i =>
                Assert.InRange(endpoint.Modified(seed, i), DataWindow.Start, DataWindow.End));
        }
    }
}

public sealed class OptionsTests
{
    [Fact]
    public void Options_NoClientsConfigured_RegistersConsentryLocal()
    {
        var setup = new SandboxOptionsSetup();
        var options = new SandboxOptions();
        setup.PostConfigure(null, options);

        var client = Assert.Single(options.Clients);
        Assert.Equal("consentry-local", client.ClientId);
        Assert.Equal("consentry-local-secret", client.ClientSecret);
        Assert.Equal([SandboxOptions.DefaultClientRedirectUri], client.RedirectUris);
        Assert.True(setup.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Options_BadValues_FailWithMessagesNamingTheSetting()
    {
        var options = new SandboxOptions
        {
            AccessTokenLifetime = TimeSpan.Zero,
            BaseUrl = "not a url",
            Clients = [new SandboxClientOptions { ClientId = "a", ClientSecret = "", RedirectUris = ["/relative"] }],
        };

        var result = new SandboxOptionsSetup().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("AccessTokenLifetime", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("BaseUrl", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Clients:0:ClientSecret", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("/relative", StringComparison.Ordinal));
    }

    [Fact]
    public void Host_InvalidConfiguration_FailsAtStart()
    {
        using var app = SandboxApp.With(new() { ["Sandbox:Clients:0:RedirectUris:0"] = "not-a-url" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Server);
        Assert.Contains("not-a-url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_BaseUrlConfigured_IsTheIssuer()
    {
        await using var app = SandboxApp.With(new() { ["Sandbox:BaseUrl"] = "https://sandbox.example/sandbox/" });
        var back = await app.Driver().AuthorizeAsync("sbbk");

        Assert.Equal("https://sandbox.example/sandbox/sbbk", SandboxDriver.Query(back)["iss"]);
    }
}

public sealed class CollectionOverlayTests
{
    private static readonly DateTime T1 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime T2 = T1.AddHours(1);

    [Fact]
    public void Apply_AddsAfterTheGeneratedAndChangesTheLowestUnchanged()
    {
        var overlay = Store.CollectionOverlay.Empty.Apply(10, add: 3, change: 2, T1).Apply(10, add: 2, change: 12, T2);

        Assert.Equal(15, overlay.Count(10));
        Assert.Equal(14, overlay.Changed);
        Assert.Equal(T1, overlay.Modified(1, 10));
        Assert.Equal(T2, overlay.Modified(2, 10));
        Assert.Equal(T2, overlay.Modified(14, 10));
        Assert.Null(Store.CollectionOverlay.Empty.Apply(10, 3, 2, T1).Modified(5, 10));
        Assert.Equal(T1, Store.CollectionOverlay.Empty.Apply(10, 3, 2, T1).Apply(10, 2, 0, T2).Modified(12, 10));
        Assert.Equal(T2, Store.CollectionOverlay.Empty.Apply(10, 3, 2, T1).Apply(10, 2, 0, T2).Modified(13, 10));
    }

    [Fact]
    public void RecordIds_AreTheSeedIdOfTheirTag_AlsoBeyondTheGeneratedCount()
    {
        var seed = UserSeed.For("sbac", "user_good+ids");
        foreach (var collection in Platforms.SandboxPlatforms.All.SelectMany(p => p.Endpoints).OfType<CollectionEndpoint>()
                     .Where(c => c.Control != CollectionControl.None))
        {
            var count = collection.Count(seed);
            var indexes = collection.Control == CollectionControl.AddAndChange ? new[] { 0, count - 1, count, count + 999_999 } : [0, count - 1];
            foreach (var i in indexes)
            {
                using var json = JsonDocument.Parse(JsonSerializer.Serialize(collection.Item(seed, i, DateTime.UnixEpoch)));
                Assert.Equal(seed.Id(collection.Tag, i), json.RootElement.GetProperty("id").GetGuid());
            }
        }
    }
}
