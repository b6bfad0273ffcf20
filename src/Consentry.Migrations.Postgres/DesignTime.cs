using Consentry.Core.Persistence;
using Consentry.Core.Persistence.Migrations;

namespace Consentry.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef</c> (tools/add-migration.sh) make the Postgres context with this project as its startup project.</summary>
public sealed class DesignTimeFactory() : ConsentryDesignTimeFactory(DatabaseProvider.Postgres);

/// <summary>Found by <c>dotnet ef</c> in this (startup) assembly: new migration ids sort after every id here.</summary>
public sealed class DesignTimeServices : ConsentryDesignTimeServices;
