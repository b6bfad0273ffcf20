using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Consentry.Core.Portal;
using Consentry.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Portal;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

public sealed record SignInResult(SignInOutcome Outcome, PortalUser? User);

/// <summary>A new client, its first API key (shown once) and its first portal user.</summary>
public sealed record CreatedClient(Client Client, string ApiKey, PortalUser User);

/// <summary>Portal users: password sign-in with lockout, and the operator's creation of clients and users.</summary>
public sealed class PortalAccounts(ConsentryDbContext db, IPasswordHasher<PortalUser> hasher, IOptions<PortalOptions> options, TimeProvider time)
{
    /// <summary>A hash of nothing in particular, verified when the email is unknown so both paths cost the same.</summary>
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<PortalUser>().HashPassword(null!, Guid.NewGuid().ToString()));

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public static string? PasswordProblem(string? password) =>
        password is null || password.Length < PortalOptions.MinPasswordLength
            ? $"The password must have at least {PortalOptions.MinPasswordLength} characters."
            : password.Length > 256 ? "The password must have at most 256 characters." : null;

    /// <summary>
    /// Checks the password (users are found across clients: the form has no client field). After the configured number of
    /// failures in a row the account is locked for a while, whatever is typed; a success resets the count.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string email, string password, CancellationToken ct)
    {
        var normalized = Normalize(email);
        var user = normalized.Length is 0 or > PortalUser.MaxEmail ? null
            : await db.PortalUsers.IgnoreQueryFilters().FirstOrDefaultAsync(u => u.Email == normalized, ct);
        if (user is null)
        {
            hasher.VerifyHashedPassword(null!, DummyHash.Value, password);
            return new SignInResult(SignInOutcome.Failed, null);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (user.LockedUntil > now)
        {
            return new SignInResult(SignInOutcome.LockedOut, null);
        }

        var verified = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= options.Value.LockoutAttempts)
            {
                user.LockedUntil = now.AddMinutes(options.Value.LockoutMinutes);
                user.FailedSignIns = 0;
            }

            await db.SaveChangesAsync(ct);
            return new SignInResult(user.LockedUntil > now ? SignInOutcome.LockedOut : SignInOutcome.Failed, null);
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        user.FailedSignIns = 0;
        user.LockedUntil = null;
        user.LastSignIn = now;
        await db.SaveChangesAsync(ct);
        return new SignInResult(SignInOutcome.Succeeded, user);
    }

    /// <summary>Adds a user to a client; answers an error message for a taken email or a weak password.</summary>
    public async Task<(PortalUser? User, string? Error)> CreateUserAsync(Guid clientId, string email, string password, bool isOperator, CancellationToken ct)
    {
        var normalized = Normalize(email);
        if (normalized.Length is < 3 or > PortalUser.MaxEmail || !normalized.Contains('@', StringComparison.Ordinal))
        {
            return (null, "Enter a valid email address.");
        }

        if (PasswordProblem(password) is { } problem)
        {
            return (null, problem);
        }

        if (await db.PortalUsers.IgnoreQueryFilters().AnyAsync(u => u.Email == normalized, ct))
        {
            return (null, "A user with that email already exists.");
        }

        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(), ClientId = clientId, Email = normalized, IsOperator = isOperator,
            Created = time.GetUtcNow().UtcDateTime, PasswordHash = "",
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.PortalUsers.Add(user);
        await db.SaveChangesAsync(ct);
        return (user, null);
    }

    /// <summary>The operator's way to onboard an app: a client, its first API key and its first admin.</summary>
    public async Task<(CreatedClient? Created, string? Error)> CreateClientAsync(string name, string email, string password, CancellationToken ct)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            return (null, "The client name is required (at most 200 characters).");
        }

        if (await db.Clients.AnyAsync(c => c.Name == name, ct))
        {
            return (null, "A client with that name already exists.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var client = new Client { Id = Guid.CreateVersion7(), Name = name, Created = now };
        var key = ApiKeySecret.Generate();
        db.Clients.Add(client);
        db.ApiKeys.Add(new ApiKey { Id = Guid.CreateVersion7(), ClientId = client.Id, Name = "Portal", Hash = ApiKeySecret.Hash(key), Hint = ApiKeySecret.Hint(key), Created = now });
        await db.SaveChangesAsync(ct);
        var (user, error) = await CreateUserAsync(client.Id, email, password, isOperator: false, ct);
        if (user is null)
        {
            return (null, error);
        }

        await transaction.CommitAsync(ct);
        return (new CreatedClient(client, key, user), null);
    }
}
