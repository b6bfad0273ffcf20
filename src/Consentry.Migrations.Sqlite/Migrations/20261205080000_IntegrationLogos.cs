using Consentry.Core.Persistence;
using Consentry.Core.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Consentry.Migrations.Sqlite.Migrations;

[DbContext(typeof(ConsentryDbContext))]
[Migration("20261205080000_IntegrationLogos")]
public sealed class IntegrationLogos : SqlScriptMigration;
