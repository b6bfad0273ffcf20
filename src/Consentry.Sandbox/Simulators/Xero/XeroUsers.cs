using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>What a test user does at the simulator's sign-in (PRODUCT.md's table, plus Xero's own users).</summary>
internal enum XeroUserBehaviour
{
    Authorizes,
    Cancels,
    FailsTokenExchange,
}

/// <summary>How much data each of a user's organisations holds.</summary>
internal sealed record XeroDataSize(int Accounts, int Contacts, int SalesInvoices, int Bills, int Payments)
{
    /// <summary>Small and quick: every test user but <c>user_big</c>.</summary>
    public static readonly XeroDataSize Small = new(30, 40, 60, 20, 40);

    /// <summary>The benchmark's typical small business: 200 accounts, 1,000 contacts, 5,000 invoices.</summary>
    public static readonly XeroDataSize Big = new(200, 1000, 4000, 1000, 2000);
}

/// <summary>One Xero organisation a test user can connect: its tenant id is derived from the username, so it is stable.</summary>
internal sealed record XeroOrganisationRef(string TenantId, string Name, int Index);

/// <summary>
/// The simulator's test users. <c>user_good</c> has one organisation, <c>user_multi</c> two (to exercise the
/// organisation chooser), <c>user_big</c> one with the benchmark's volume; <c>user_deny</c> cancels, <c>user_error</c>'s
/// code exchange fails, anyone else (<c>user_bad</c>) has invalid credentials. <c>+suffix</c> gives a user of the same
/// kind with data and state of its own.
/// </summary>
internal static partial class XeroUsers
{
    public const string Password = "pass_good";

    public static XeroUserBehaviour? SignIn(string username, string password) =>
        password == Password ? BehaviourOf(username) : null;

    public static XeroUserBehaviour? BehaviourOf(string username) => BaseName(username) switch
    {
        "user_good" or "user_multi" or "user_big" => XeroUserBehaviour.Authorizes,
        "user_deny" => XeroUserBehaviour.Cancels,
        "user_error" => XeroUserBehaviour.FailsTokenExchange,
        _ => null,
    };

    public static XeroDataSize SizeOf(string username) => BaseName(username) == "user_big" ? XeroDataSize.Big : XeroDataSize.Small;

    public static IReadOnlyList<XeroOrganisationRef> OrganisationsOf(string username)
    {
        var count = BaseName(username) == "user_multi" ? 2 : 1;
        return [.. Enumerable.Range(1, count).Select(i => new XeroOrganisationRef(
            StableGuid($"tenant|{username}|{i}").ToString(), i == 1 ? "Demo Company (UK)" : "Demo Company (NZ) Ltd", i))];
    }

    /// <summary>A GUID from a name (the same name always gives the same GUID), formatted as Xero formats ids.</summary>
    public static Guid StableGuid(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));

    private static string? BaseName(string username)
    {
        var plus = username.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0)
        {
            return username;
        }

        return Suffix().IsMatch(username.AsSpan(plus + 1)) ? username[..plus] : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Suffix();
}
