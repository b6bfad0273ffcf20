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
        builder.Property(c => c.LinkSettings).HasJsonConversion();
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
        // Covers name filters (the ~ contains scan reads the index, not the table) and orderBy=name.
        builder.HasIndex(c => new { c.ClientId, c.Name });
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
        // Tenant-filtered reads of one company's connections match both columns (an index on ClientId alone would
        // make SQLite walk every connection of the client).
        builder.HasIndex(c => new { c.ClientId, c.CompanyId });
        builder.Property(c => c.Errors).HasJsonConversion().HasDefaultValueSql("'[]'");

        // A company has at most one accounting connection that is not Unlinked; the database enforces it so two
        // concurrent creates cannot both win. Double-quoted identifiers work on SQLite and PostgreSQL alike.
        builder.HasIndex(c => c.CompanyId)
            .IsUnique()
            .HasDatabaseName(OneAccountingConnectionIndex)
            .HasFilter("\"SourceType\" = 'Accounting' AND \"Status\" <> 'Unlinked'");
    }

    public const string OneAccountingConnectionIndex = "ux_connections_one_accounting_per_company";
}

internal sealed class ConnectionTokenConfiguration : IEntityTypeConfiguration<ConnectionToken>
{
    public void Configure(EntityTypeBuilder<ConnectionToken> builder)
    {
        builder.ToTable("connection_tokens");
        builder.HasKey(t => t.ConnectionId);
        builder.Property(t => t.Tenant).HasJsonConversion();
        builder.HasOne<Connection>().WithOne().HasForeignKey<ConnectionToken>(t => t.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IntegrationSettingConfiguration : IEntityTypeConfiguration<IntegrationSetting>
{
    public void Configure(EntityTypeBuilder<IntegrationSetting> builder)
    {
        builder.ToTable("integration_settings");
        builder.HasKey(s => new { s.ClientId, s.PlatformKey });
        builder.Property(s => s.PlatformKey).HasMaxLength(16);
        builder.Property(s => s.OAuthClientId).HasMaxLength(512);
        builder.Property(s => s.Scopes).HasJsonConversion();
        builder.Ignore(s => s.HasCredentials);
        builder.HasOne<Client>().WithMany().HasForeignKey(s => s.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IntegrationLogoConfiguration : IEntityTypeConfiguration<IntegrationLogo>
{
    public void Configure(EntityTypeBuilder<IntegrationLogo> builder)
    {
        builder.ToTable("integration_logos");
        builder.HasKey(l => new { l.PlatformKey, l.Variant });
        builder.Property(l => l.PlatformKey).HasMaxLength(16);
        builder.Property(l => l.Variant).HasMaxLength(32);
        builder.Property(l => l.ContentType).HasMaxLength(64);
        builder.Property(l => l.ETag).HasMaxLength(80);
    }
}

internal sealed class DataTypeConfigConfiguration : IEntityTypeConfiguration<DataTypeConfig>
{
    public void Configure(EntityTypeBuilder<DataTypeConfig> builder)
    {
        builder.ToTable("data_type_configs");
        builder.HasKey(c => new { c.ClientId, c.PlatformKey, c.Kind, c.Name });
        builder.Property(c => c.PlatformKey).HasMaxLength(16);
        builder.Property(c => c.Kind).HasMaxLength(16);
        builder.Property(c => c.Name).HasMaxLength(64);
        builder.HasOne<Client>().WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder) => builder.ToTable("data_protection_keys");
}

internal static class JsonConversionExtensions
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Stores a small document as JSON text: read and written whole, never queried inside.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) =>
        property.HasConversion(
                v => JsonSerializer.Serialize(v, Options),
                v => JsonSerializer.Deserialize<T>(v, Options)!,
                new ValueComparer<T>(
                    (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                    v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
                    v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!))
            .HasColumnType("text");
}
