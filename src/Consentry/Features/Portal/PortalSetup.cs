using System.Security.Claims;
using Consentry.Core.Persistence;
using Consentry.Core.Portal;
using Consentry.Core.Tenancy;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Portal;

/// <summary>
/// The portal at <c>/portal</c>: Razor Pages behind their own cookie scheme (never the API-key scheme), every page but
/// sign-in requiring a signed-in user, and the tenant of each request set from that user's client.
/// </summary>
public static class PortalSetup
{
    public const string Scheme = "Portal";
    public const string Policy = "Portal";
    public const string OperatorPolicy = "PortalOperator";
    public const string ClientIdClaim = "consentry:portal_client_id";
    public const string OperatorRole = "operator";
    public const string CookieName = "__Host-consentry-portal";

    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>()
            .Bind(builder.Configuration.GetSection(PortalOptions.Section))
            .Configure(o =>
            {
                // Development (and the README's first run) gets a documented admin, so a newcomer can sign in at once.
                if (builder.Environment.IsDevelopment() && o.AdminEmail is null && o.AdminPassword is null)
                {
                    (o.AdminEmail, o.AdminPassword) = (PortalOptions.DevelopmentEmail, PortalOptions.DevelopmentPassword);
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => o.AdminEmail is null == o.AdminPassword is null,
                "Consentry__Portal__AdminEmail and Consentry__Portal__AdminPassword go together: set both or neither.")
            .Validate(o => o.AdminPassword is null || PortalAccounts.PasswordProblem(o.AdminPassword) is null,
                $"Consentry__Portal__AdminPassword must have at least {PortalOptions.MinPasswordLength} characters.")
            .ValidateOnStart();

        builder.Services.AddScoped<PortalAccounts>();
        builder.Services.AddSingleton<IPasswordHasher<PortalUser>, PasswordHasher<PortalUser>>();
        builder.Services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/";
            o.LoginPath = "/portal/signin";
            o.LogoutPath = "/portal/signout";
            o.AccessDeniedPath = "/portal/signin";
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateAsync;
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<IOptions<PortalOptions>>((o, portal) => o.ExpireTimeSpan = TimeSpan.FromMinutes(portal.Value.SessionMinutes));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(ClientIdClaim))
            .AddPolicy(OperatorPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(ClientIdClaim).RequireRole(OperatorRole));
        builder.Services.Configure<RazorPagesOptions>(o =>
        {
            o.Conventions.AuthorizeFolder("/Portal", Policy);
            o.Conventions.AuthorizeFolder("/Portal/Operator", OperatorPolicy);
            o.Conventions.AllowAnonymousToPage("/Portal/SignIn");
        });
        return builder;
    }

    public static ClaimsPrincipal Principal(PortalUser user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Email, user.Email),
            new(ClientIdClaim, user.ClientId.ToString()),
        };
        if (user.IsOperator)
        {
            claims.Add(new Claim(ClaimTypes.Role, OperatorRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    /// <summary>Every request: the user must still exist in that client; the request then acts for that client only.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (!Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(ClientIdClaim), out var clientId))
        {
            context.RejectPrincipal();
            return;
        }

        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<ConsentryDbContext>();
        var exists = await db.PortalUsers.IgnoreQueryFilters().AsNoTracking()
            .AnyAsync(u => u.Id == userId && u.ClientId == clientId, context.HttpContext.RequestAborted);
        if (!exists)
        {
            context.RejectPrincipal();
            return;
        }

        var tenant = services.GetRequiredService<ClientContext>();
        if (tenant.ClientId is { } other && other != clientId)
        {
            context.RejectPrincipal(); // an API key of another client on the same request: refuse rather than mix tenants
            return;
        }

        tenant.Set(clientId);
    }

    /// <summary>
    /// Ensures the configured first admin exists (an operator, in the oldest client); idempotent. With none configured and
    /// no portal user yet, creates <c>admin@consentry.local</c> with a random password printed once, as the first API key is.
    /// </summary>
    public static async Task PreparePortalAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        var client = await db.Clients.OrderBy(c => c.Created).ThenBy(c => c.Id).FirstOrDefaultAsync();
        if (client is null)
        {
            return;
        }

        var (email, password, print) = options.AdminEmail is { } configured
            ? (configured, options.AdminPassword!, false)
            : (PortalOptions.DevelopmentEmail, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(15)), true);
        if (print ? await db.PortalUsers.IgnoreQueryFilters().AnyAsync()
                  : await db.PortalUsers.IgnoreQueryFilters().AnyAsync(u => u.Email == PortalAccounts.Normalize(email)))
        {
            return;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Consentry.Portal");
        PortalUser? user;
        string? error;
        try
        {
            (user, error) = await scope.ServiceProvider.GetRequiredService<PortalAccounts>()
                .CreateUserAsync(client.Id, email, password, isOperator: true, CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            // Several instances starting together on an empty database: another one created the admin a moment ago.
            db.ChangeTracker.Clear();
            if (!await db.PortalUsers.IgnoreQueryFilters().AnyAsync(u => u.Email == PortalAccounts.Normalize(email)))
            {
                throw;
            }

            logger.LogInformation("The portal admin was created by another instance.");
            return;
        }

        if (user is null)
        {
            logger.LogWarning("The portal admin could not be created: {Error}", error);
            return;
        }

        if (print)
        {
            // Printed, not logged: log pipelines must never carry passwords. This is the only time it is shown.
            Console.WriteLine($"Consentry created the portal admin {user.Email} (client '{client.Name}'). Password (shown once): {password}");
        }

        logger.LogInformation("Portal admin {Email} created in client {Client}.", user.Email, client.Name);
    }
}
