using System.Text.Json;
using Consentry.Core.Clients;
using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Persistence;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.ToTable("clients");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.OwnsOne(c => c.Profile, p =>
        {
            p.Property(x => x.LogoUrl).HasMaxLength(2048);
            p.Property(x => x.IconUrl).HasMaxLength(2048);
            p.Property(x => x.RedirectUrl).HasMaxLength(2048);
        });
        builder.Property(c => c.SyncSettings).HasJsonConversion();
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.HasIndex(k => k.ClientId);
        builder.Property(k => k.Name).HasMaxLength(50);
        builder.Property(k => k.Hint).HasMaxLength(32);
        builder.HasOne<Client>().WithMany().HasForeignKey(k => k.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> builder)
    {
        builder.ToTable("companies");
        builder.Property(c => c.Name).HasMaxLength(CompanyRules.MaxNameLength);
        builder.Property(c => c.Description).HasMaxLength(CompanyRules.MaxDescriptionLength);
        builder.HasIndex(c => new { c.ClientId, c.Created });
        builder.HasOne<Client>().WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Tags).WithOne().HasForeignKey(t => t.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Connections).WithOne().HasForeignKey(c => c.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.SyncSettings).HasJsonConversion();
    }
}

internal sealed class CompanyTagConfiguration : IEntityTypeConfiguration<CompanyTag>
{
    public void Configure(EntityTypeBuilder<CompanyTag> builder)
    {
        builder.ToTable("company_tags");
        builder.HasKey(t => new { t.CompanyId, t.Key });
        builder.Property(t => t.Key).HasMaxLength(CompanyRules.MaxTagKeyLength);
        builder.Property(t => t.Value).HasMaxLength(CompanyRules.MaxTagValueLength);
        builder.HasIndex(t => new { t.Key, t.Value });
    }
}

internal sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    public void Configure(EntityTypeBuilder<Connection> builder)
    {
        builder.ToTable("connections");
        builder.Property(c => c.IntegrationKey).HasMaxLength(16);
        builder.Property(c => c.PlatformName).HasMaxLength(200);
        builder.HasIndex(c => new { c.CompanyId, c.Created });
        builder.HasIndex(c => c.ClientId);

        // A company has at most one accounting connection that is not Unlinked; the database enforces it so two
        // concurrent creates cannot both win. Double-quoted identifiers work on SQLite and PostgreSQL alike.
        builder.HasIndex(c => c.CompanyId)
            .IsUnique()
            .HasDatabaseName(OneAccountingConnectionIndex)
            .HasFilter("\"SourceType\" = 'Accounting' AND \"Status\" <> 'Unlinked'");
    }

    public const string OneAccountingConnectionIndex = "ux_connections_one_accounting_per_company";
}

internal sealed class IntegrationSettingConfiguration : IEntityTypeConfiguration<IntegrationSetting>
{
    public void Configure(EntityTypeBuilder<IntegrationSetting> builder)
    {
        builder.ToTable("integration_settings");
        builder.HasKey(s => new { s.ClientId, s.PlatformKey });
        builder.Property(s => s.PlatformKey).HasMaxLength(16);
        builder.Property(s => s.OAuthClientId).HasMaxLength(512);
        builder.Ignore(s => s.HasCredentials);
        builder.HasOne<Client>().WithMany().HasForeignKey(s => s.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder) => builder.ToTable("data_protection_keys");
}

internal static class JsonConversionExtensions
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Stores a settings document as JSON text; small, read whole, never queried inside.</summary>
    public static PropertyBuilder<SyncSettingsDocument?> HasJsonConversion(this PropertyBuilder<SyncSettingsDocument?> property) =>
        property.HasConversion(
                v => v == null ? null : JsonSerializer.Serialize(v, Options),
                v => v == null ? null : JsonSerializer.Deserialize<SyncSettingsDocument>(v, Options),
                new ValueComparer<SyncSettingsDocument?>(
                    (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                    v => v == null ? 0 : JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
                    v => v == null ? null : JsonSerializer.Deserialize<SyncSettingsDocument>(JsonSerializer.Serialize(v, Options), Options)))
            .HasColumnType("text");
}
