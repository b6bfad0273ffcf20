using System.Text.RegularExpressions;

namespace Consentry.Sandbox.OAuth;

/// <summary>How the sandbox treats a signed-in user, per the credentials table in PRODUCT.md.</summary>
internal enum UserBehaviour
{
    /// <summary><c>user_good</c>: authorizes.</summary>
    Authorizes,

    /// <summary><c>user_deny</c>: sees the consent page, then is sent back as having cancelled (access_denied).</summary>
    Cancels,

    /// <summary><c>user_error</c>: gets a code, but exchanging it fails with HTTP 500 server_error.</summary>
    FailsTokenExchange,
}

/// <summary>
/// The test users, and their variants <c>user_good+&lt;suffix&gt;</c> (likewise for user_deny and user_error): a variant
/// behaves like its base user, but its data and control state are its own, because both are keyed by the full username.
/// </summary>
internal static partial class TestUsers
{
    public const string Password = "pass_good";

    private static readonly Dictionary<string, UserBehaviour> Users = new(StringComparer.Ordinal)
    {
        ["user_good"] = UserBehaviour.Authorizes,
        ["user_deny"] = UserBehaviour.Cancels,
        ["user_error"] = UserBehaviour.FailsTokenExchange,
    };

    /// <summary>The user's behaviour, or null for wrong credentials (user_bad, unknown users, wrong passwords).</summary>
    public static UserBehaviour? SignIn(string username, string password) =>
        BehaviourOf(username) is { } behaviour && Secrets.FixedTimeEquals(password, Password) ? behaviour : null;

    /// <summary>The behaviour of a test user or variant; null for anyone else.</summary>
    public static UserBehaviour? BehaviourOf(string username)
    {
        var plus = username.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0 && !VariantSuffix().IsMatch(username.AsSpan(plus + 1)))
        {
            return null;
        }

        return Users.TryGetValue(plus < 0 ? username : username[..plus], out var behaviour) ? behaviour : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariantSuffix();
}
