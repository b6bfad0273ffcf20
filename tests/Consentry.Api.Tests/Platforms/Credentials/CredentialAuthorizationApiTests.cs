using System.Net;
using System.Text;
using Consentry.Api.Tests.Contract;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.Credentials;

/// <summary>
/// Codat's <c>PUT /companies/{companyId}/connections/{connectionId}/authorization</c>: the platform's credential fields as
/// a JSON object of strings, checked at the platform before anything is stored; the answer is the connection in Codat's
/// shape (validated against Codat's document) with no credential in it; errors in Codat's shape.
/// </summary>
public sealed class CredentialAuthorizationApiTests(SqliteCredentialsApp app) : IClassFixture<SqliteCredentialsApp>
{
    private const string Operation = "/companies/{companyId}/connections/{connectionId}/authorization";

    [Fact]
    public async Task Put_RightKey_LinksAndAnswersTheConnectionInCodatsShape_WithoutTheKey()
    {
        var (companyId, connectionId, _) = await app.NewStripeConnectionAsync();
        var session = new ContractSession(app);

        var answer = await session.CallAsync("PUT", Operation, Url(companyId, connectionId), HttpStatusCode.OK,
            new Dictionary<string, string> { ["apiKey"] = CredentialsApp.GoodKey });

        Assert.Equal("Linked", answer!["status"]!.GetValue<string>());
        Assert.Equal(connectionId, answer["id"]!.GetValue<string>());
        Assert.Equal("exgd", answer["integrationKey"]!.GetValue<string>());
        Assert.DoesNotContain(CredentialsApp.GoodKey, answer.ToJsonString(), StringComparison.Ordinal);
        var token = await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConnectionId == Guid.Parse(connectionId)));
        Assert.DoesNotContain(CredentialsApp.GoodKey, token.ProtectedAccessToken, StringComparison.Ordinal);
        Assert.Equal(CredentialsApp.GoodKey, app.Service<SecretProtector>().Unprotect(token.ProtectedAccessToken));
        Assert.Equal(CredentialsApp.AccountId, token.Account["accountId"]);
        var events = await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters().Where(e => e.ConnectionId == Guid.Parse(connectionId)).Select(e => e.Step).ToListAsync());
        Assert.Contains(Core.Link.JourneyStep.Authorized, events);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(CredentialsApp.GoodKey, StringComparison.Ordinal));

        // Putting a key again on a Linked connection replaces it once Stripe accepts it.
        await session.CallAsync("PUT", Operation, Url(companyId, connectionId), HttpStatusCode.OK,
            new Dictionary<string, string> { ["apiKey"] = CredentialsApp.GoodKey });
    }

    [Fact]
    public async Task Put_WrongKey_RefusedInCodatsShape_NothingStored()
    {
        var (companyId, connectionId, _) = await app.NewStripeConnectionAsync();
        var wrongKey = "rk_live_51Wrong" + Guid.NewGuid().ToString("N");

        var error = await app.Alpha().PutJsonAsync(Url(companyId, connectionId), new Dictionary<string, string> { ["apiKey"] = wrongKey })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "Stripe did not accept this key");

        Assert.DoesNotContain(wrongKey, error.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(wrongKey, app.KeysChecked);
        await AssertUntouchedAsync(connectionId);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(wrongKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_StripeDown_Answers503_NothingStored()
    {
        var (companyId, connectionId, _) = await app.NewStripeConnectionAsync();

        await app.Alpha().PutJsonAsync(Url(companyId, connectionId), new Dictionary<string, string> { ["apiKey"] = CredentialsApp.DownKey })
            .ExpectErrorAsync(HttpStatusCode.ServiceUnavailable, "Try again");

        await AssertUntouchedAsync(connectionId);
    }

    [Theory]
    [InlineData("{\"apiKey\": 5}", "")]
    [InlineData("[\"rk_test_51GoodCredentialKey0123456789abcdefGHIJ\"]", "")]
    [InlineData("{\"apiKey\": ", "")]
    [InlineData("{\"apiKey\": null}", "each a string")]
    [InlineData("{}", "Enter your Restricted API key")]
    [InlineData("{\"apiKey\": \"sk_live_51NotRestricted0123456789\"}", "do not fit Stripe's form: This does not look like")]
    [InlineData("{\"apiKey\": \"rk_test_51GoodCredentialKey0123456789abcdefGHIJ\", \"secret\": \"x\"}", "is not a field of this form")]
    public async Task Put_BadBody_Answers400_WithoutAskingStripe(string body, string fragment)
    {
        var (companyId, connectionId, _) = await app.NewStripeConnectionAsync();
        var checkedBefore = app.KeysChecked.Count;

        var error = await app.Alpha().SendRawAsync(HttpMethod.Put, Url(companyId, connectionId), body)
            .ExpectErrorAsync(HttpStatusCode.BadRequest, fragment);

        Assert.DoesNotContain("sk_live_51NotRestricted", error.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(checkedBefore, app.KeysChecked.Count);
        await AssertUntouchedAsync(connectionId);
    }

    [Fact]
    public async Task Put_PlatformWithoutCredentials_Answers400()
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync("Sandbox Ltd");
        var connectionId = await api.CreateConnectionAsync(companyId, "sbac");

        await api.PutJsonAsync(Url(companyId, connectionId), new Dictionary<string, string> { ["apiKey"] = CredentialsApp.GoodKey })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "cannot be linked with credentials");
        await AssertUntouchedAsync(connectionId);
    }

    [Fact]
    public async Task Put_UnknownIds_Answer404()
    {
        var (companyId, _, _) = await app.NewStripeConnectionAsync();
        var key = new Dictionary<string, string> { ["apiKey"] = CredentialsApp.GoodKey };

        await app.Alpha().PutJsonAsync(Url(companyId, Guid.NewGuid().ToString()), key).ExpectErrorAsync(HttpStatusCode.NotFound, "Data connection");
        await app.Alpha().PutJsonAsync(Url(Guid.NewGuid().ToString(), Guid.NewGuid().ToString()), key).ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_AnotherClientsConnection_Answers404AsIfMissing_AndChangesNothing()
    {
        var (companyId, connectionId, _) = await app.NewStripeConnectionAsync();
        var key = new Dictionary<string, string> { ["apiKey"] = CredentialsApp.GoodKey };

        var foreign = await app.Beta().PutJsonAsync(Url(companyId, connectionId), key).ExpectErrorAsync(HttpStatusCode.NotFound);
        var missing = await app.Beta().PutJsonAsync(Url(Guid.NewGuid().ToString(), Guid.NewGuid().ToString()), key).ExpectErrorAsync(HttpStatusCode.NotFound);

        Assert.Equal(Mask(missing["error"]!.GetValue<string>()), Mask(foreign["error"]!.GetValue<string>()));
        await AssertUntouchedAsync(connectionId);
    }

    [Fact]
    public async Task Put_WithoutApiKey_Answers401()
    {
        var (companyId, connectionId, _) = await app.NewStripeConnectionAsync();
        using var anonymous = app.Anonymous();
        using var content = new StringContent("{\"apiKey\":\"" + CredentialsApp.GoodKey + "\"}", Encoding.UTF8, "application/json");

        using var response = await anonymous.PutAsync(Url(companyId, connectionId), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertUntouchedAsync(connectionId);
    }

    private async Task AssertUntouchedAsync(string connectionId)
    {
        var id = Guid.Parse(connectionId);
        Assert.Equal(ConnectionStatus.PendingAuth, await app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == id).Select(c => c.Status).SingleAsync()));
        Assert.False(await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AnyAsync(t => t.ConnectionId == id)));
    }

    private static string Url(string companyId, string connectionId) => $"/companies/{companyId}/connections/{connectionId}/authorization";

    private static string Mask(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
}
