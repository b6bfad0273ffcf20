using Consentry.Core.Persistence;
using Consentry.Core.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Consentry.Migrations.Postgres.Migrations;

/// <summary>
/// No schema change: the data types whose stored shape changed (issue 20: Codat's banking and commerce shapes exactly)
/// are read again in full at their next read, which rewrites every stored record in the new shape.
/// </summary>
[DbContext(typeof(ConsentryDbContext))]
[Migration("20261204100000_CodatDataShapes")]
public sealed class CodatDataShapes : SqlScriptMigration;
