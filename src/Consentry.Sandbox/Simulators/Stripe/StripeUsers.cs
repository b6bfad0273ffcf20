using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>What a test user does at the simulator's Connect sign-in (PRODUCT.md's table).</summary>
internal enum StripeUserBehaviour
{
    Authorizes,
    Cancels,
    FailsTokenExchange,
}

/// <summary>How much data a user's account holds.</summary>
internal sealed record StripeDataSize(int Customers, int Products, int Charges, int Payouts, int Disputes)
{
    /// <summary>Small and quick: every test user but <c>user_big</c>.</summary>
    public static readonly StripeDataSize Small = new(12, 5, 24, 4, 2);

    public static readonly StripeDataSize Big = new(1000, 100, 5000, 150, 25);
}

/// <summary>
/// The simulator's test users (password <c>pass_good</c>): <c>user_good</c> has a small account, <c>user_big</c> a large
/// one; <c>user_deny</c> cancels, <c>user_error</c>'s code exchange fails, anyone else (<c>user_bad</c>) has invalid
/// credentials. <c>+suffix</c> gives a user of the same kind with an account of its own. Each account's id is derived
/// from the username, and so is its restricted key (<see cref="RestrictedKeyOf"/>), so tests and newcomers can paste it.
/// </summary>
internal static partial class StripeUsers
{
    public const string Password = "pass_good";

    /// <summary>The restricted keys' prefix: <c>rk_test_sim_{username}</c> is the key of that user's account.</summary>
    public const string RestrictedKeyPrefix = "rk_test_sim_";

    public static StripeUserBehaviour? SignIn(string username, string password) =>
        password == Password ? BehaviourOf(username) : null;

    public static StripeUserBehaviour? BehaviourOf(string username) => BaseName(username) switch
    {
        "user_good" or "user_big" => StripeUserBehaviour.Authorizes,
        "user_deny" => StripeUserBehaviour.Cancels,
        "user_error" => StripeUserBehaviour.FailsTokenExchange,
        _ => null,
    };

    /// <summary>Users with an account of their own (the ones that can sign in and authorize, or hold a restricted key).</summary>
    public static bool HasAccount(string username) => BehaviourOf(username) is not null;

    public static StripeDataSize SizeOf(string username) => BaseName(username) == "user_big" ? StripeDataSize.Big : StripeDataSize.Small;

    /// <summary>The user's account id, shaped as Stripe's (<c>acct_</c> and 16 letters and digits).</summary>
    public static string AccountIdOf(string username) => "acct_1" + Alphanumeric($"account|{username}", 15);

    public static string? RestrictedKeyOf(string username) => HasAccount(username) ? RestrictedKeyPrefix + username : null;

    /// <summary>The user a restricted key belongs to, if it is one of the simulator's.</summary>
    public static string? UserOfRestrictedKey(string key) =>
        key.StartsWith(RestrictedKeyPrefix, StringComparison.Ordinal) && key[RestrictedKeyPrefix.Length..] is var user && HasAccount(user) ? user : null;

    /// <summary>A stable run of letters and digits from a name (the same name always gives the same run).</summary>
    public static string Alphanumeric(string name, int length)
    {
        const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(Alphabet[hash[i % hash.Length] % Alphabet.Length]);
        }

        return text.ToString();
    }

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
