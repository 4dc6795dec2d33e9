namespace Bridge.Worker.Credentials;

/// <summary>Which client assertion Entra receives.</summary>
internal enum AzureAssertion
{
    /// <summary>Bridge's own short-lived assertion with the stable subject <c>bitbucket:{workspace}:{repository}:{route}</c>.</summary>
    Bridge,

    /// <summary>The step's Bitbucket token itself (needs a federated credential that matches its per-step subject).</summary>
    Step,
}
