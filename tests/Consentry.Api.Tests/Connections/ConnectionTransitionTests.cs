using Consentry.Core.Connections;

namespace Consentry.Api.Tests.Connections;

/// <summary>The status changes a connection's life allows (<see cref="Connection.MoveTo"/>), and the ones it refuses.</summary>
public sealed class ConnectionTransitionTests
{
    public static TheoryData<ConnectionStatus, ConnectionStatus, bool> Table => new()
    {
        // Linking: the first time, re-authorizing a Linked one, re-consenting an Unlinked or Deauthorized one.
        { ConnectionStatus.PendingAuth, ConnectionStatus.Linked, true },
        { ConnectionStatus.Linked, ConnectionStatus.Linked, true },
        { ConnectionStatus.Unlinked, ConnectionStatus.Linked, true },
        { ConnectionStatus.Deauthorized, ConnectionStatus.Linked, true },
        // Unlinking and deauthorizing (a refused grant, an expired consent) only from Linked.
        { ConnectionStatus.Linked, ConnectionStatus.Unlinked, true },
        { ConnectionStatus.Linked, ConnectionStatus.Deauthorized, true },
        { ConnectionStatus.PendingAuth, ConnectionStatus.Unlinked, false },
        { ConnectionStatus.PendingAuth, ConnectionStatus.Deauthorized, false },
        { ConnectionStatus.Unlinked, ConnectionStatus.Unlinked, false },
        { ConnectionStatus.Unlinked, ConnectionStatus.Deauthorized, false },
        { ConnectionStatus.Deauthorized, ConnectionStatus.Unlinked, false },
        { ConnectionStatus.Deauthorized, ConnectionStatus.Deauthorized, false },
        // Nothing goes back to PendingAuth: a new connection starts there.
        { ConnectionStatus.PendingAuth, ConnectionStatus.PendingAuth, false },
        { ConnectionStatus.Linked, ConnectionStatus.PendingAuth, false },
        { ConnectionStatus.Unlinked, ConnectionStatus.PendingAuth, false },
        { ConnectionStatus.Deauthorized, ConnectionStatus.PendingAuth, false },
    };

    [Fact]
    public void TheTable_CoversEveryPair()
    {
        var statuses = Enum.GetValues<ConnectionStatus>();
        Assert.Equal(statuses.Length * statuses.Length, Table.Count);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void MoveTo_FollowsTheTable(ConnectionStatus from, ConnectionStatus to, bool allowed)
    {
        var connection = At(from);
        Assert.Equal(allowed, connection.CanMoveTo(to));
        if (allowed)
        {
            connection.MoveTo(to);
            Assert.Equal(to, connection.Status);
        }
        else
        {
            var refused = Assert.Throws<ConnectionTransitionException>(() => connection.MoveTo(to));
            Assert.Equal((from, to), (refused.From, refused.To));
            Assert.Equal(Consentry.Core.Errors.ErrorKind.Validation, refused.Error.Kind);
            Assert.Equal(from, connection.Status);
        }
    }

    [Fact]
    public void ANewConnection_IsPendingAuth() =>
        Assert.Equal(ConnectionStatus.PendingAuth, new Connection { PlatformKey = "gbol", PlatformName = "Sandbox" }.Status);

    /// <summary>A connection in the given status, reached through allowed moves only.</summary>
    private static Connection At(ConnectionStatus status)
    {
        var connection = new Connection { PlatformKey = "gbol", PlatformName = "Sandbox" };
        if (status != ConnectionStatus.PendingAuth)
        {
            connection.MoveTo(ConnectionStatus.Linked);
            if (status != ConnectionStatus.Linked)
            {
                connection.MoveTo(status);
            }
        }

        return connection;
    }
}
