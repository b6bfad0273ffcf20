using Consentry.Connectors;
using Consentry.Connectors.OAuth2;
using Consentry.Connectors.Platforms.Stripe;
using Consentry.Core.Integrations;

namespace Consentry.Api.Tests.Platforms.Stripe;

/// <summary>
/// The connector's other way in: a connection saved with a restricted key (account parameters without
/// <c>stripe_user_id</c>, as the credential form saves them) reads with the key itself, pages with
/// <c>starting_after</c>, and a rolled key is Deauthorized. Calls the connector directly against the simulator.
/// </summary>
public sealed class StripeRestrictedKeyTests(SqliteStripeApp app) : IClassFixture<SqliteStripeApp>
{
    private static readonly Dictionary<string, string> Restricted = new() { ["keyType"] = "restricted" };

    [Fact]
    public async Task RestrictedKey_ReadsPageByPage_UntilTheKeyIsRolled()
    {
        var user = StripeApp.NewUser();
        var connector = app.Service<IEnumerable<IPlatformConnector>>().OfType<StripeConnector>().Single();
        var integration = app.Service<IntegrationCatalogue>().Find(StripeConnector.PlatformKey)!;
        var platform = new PlatformEndpoint(integration, integration.OAuth!, $"{app.SimulatorBase}/oauth/authorize", $"{app.SimulatorBase}/oauth/token",
            $"{app.SimulatorBase}/oauth/deauthorize", null, StripeApp.ClientId, StripeApp.PlatformKey) { ApiBaseUrl = app.SimulatorBase };
        DataRequest Request(string dataType, string? cursor) => new(platform, dataType, $"rk_test_sim_{user}", Restricted, cursor, 5, null, DateTime.UtcNow);

        var info = Assert.IsType<DataPage.Ok>(await connector.ReadAsync(Request("commerce-companyInfo", null), CancellationToken.None));
        Assert.Equal((await app.StatsAsync(user))["account"]!.GetValue<string>(), Assert.Single(info.Records).Id);

        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = Assert.IsType<DataPage.Ok>(await connector.ReadAsync(Request("commerce-customers", cursor), CancellationToken.None));
            Assert.InRange(page.Records.Count, 1, 5);
            ids.AddRange(page.Records.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal((await app.StatsAsync(user))["counts"]!["customers"]!.GetValue<int>(), ids.Distinct().Count());

        // Nothing to revoke for a restricted key: it is the account owner's.
        Assert.False(await connector.RevokeAsync(platform, new PlatformGrant($"rk_test_sim_{user}", null, Restricted), CancellationToken.None));

        await app.ControlAsync($"users/{Uri.EscapeDataString(user)}/keys/roll");
        var gone = Assert.IsType<DataPage.Deauthorized>(await connector.ReadAsync(Request("commerce-customers", null), CancellationToken.None));
        Assert.Contains("rolled", gone.Detail, StringComparison.Ordinal);
    }
}
