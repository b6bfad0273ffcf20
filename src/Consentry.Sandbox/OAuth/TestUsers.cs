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

internal static class TestUsers
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
        Users.TryGetValue(username, out var behaviour) && Secrets.FixedTimeEquals(password, Password) ? behaviour : null;

    public static UserBehaviour? BehaviourOf(string username) =>
        Users.TryGetValue(username, out var behaviour) ? behaviour : null;
}
