using Consentry.Core.Persistence;
using Consentry.Core.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Consentry.Migrations.Sqlite.Migrations;

[DbContext(typeof(ConsentryDbContext))]
[Migration("20261204300000_SyncWindowsAndTraces")]
public sealed class SyncWindowsAndTraces : SqlScriptMigration;
