using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary>What a test user does at the simulated bank's sign-in (PRODUCT.md's table).</summary>
internal enum TrueLayerUserBehaviour
{
    Authorizes,
    Cancels,
    FailsTokenExchange,
}

/// <summary>A bank TrueLayer offers in its provider chooser; <see cref="Cards"/>: whether its API serves cards.</summary>
internal sealed record TrueLayerProvider(string Id, string DisplayName, bool Cards, IReadOnlyList<string> Groups)
{
    public string LogoUri => $"https://truelayer-provider-assets.s3.amazonaws.com/global/logos/{Id}.svg";
}

/// <summary>
/// The simulator's banks and test users. <c>user_good</c> has a current and a savings account (and a credit card at
/// banks that serve cards), <c>user_big</c> the same with a year of busy trading; <c>user_deny</c> cancels at the
/// bank, <c>user_error</c>'s code exchange fails, anyone else (<c>user_bad</c>) has invalid credentials.
/// <c>+suffix</c> gives a user of the same kind with data and state of its own.
/// </summary>
internal static partial class TrueLayerUsers
{
    public const string Password = "pass_good";

    /// <summary>Mock Bank answers every Data API endpoint; Mock Savings Bank has no cards API (<c>endpoint_not_supported</c>).</summary>
    public static readonly IReadOnlyList<TrueLayerProvider> Providers =
    [
        new("mock", "Mock Bank", Cards: true, ["uk-cs-mock", "uk-ob-all", "uk-oauth-all"]),
        new("ob-mock-savings", "Mock Savings Bank", Cards: false, ["uk-ob-all"]),
    ];

    /// <summary>The banks an auth link's <c>providers</c> value selects: provider groups (<c>uk-ob-all</c>) or provider ids.</summary>
    public static IReadOnlyList<TrueLayerProvider> Selected(string? providers)
    {
        var wanted = (providers ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return [.. Providers.Where(p => wanted.Contains(p.Id, StringComparer.Ordinal) || p.Groups.Any(g => wanted.Contains(g, StringComparer.Ordinal)))];
    }

    public static TrueLayerUserBehaviour? SignIn(string username, string password) => password == Password ? BehaviourOf(username) : null;

    public static TrueLayerUserBehaviour? BehaviourOf(string username) => BaseName(username) switch
    {
        "user_good" or "user_big" => TrueLayerUserBehaviour.Authorizes,
        "user_deny" => TrueLayerUserBehaviour.Cancels,
        "user_error" => TrueLayerUserBehaviour.FailsTokenExchange,
        _ => null,
    };

    public static bool IsBig(string username) => BaseName(username) == "user_big";

    /// <summary>An id from a name (the same name always gives the same id), as TrueLayer's 32 hex digits.</summary>
    public static string StableId(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));

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
