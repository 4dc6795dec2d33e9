namespace Bridge.Worker.Credentials;

/// <summary>How a flow run receives the credentials its route obtained.</summary>
internal enum CredentialDelivery
{
    /// <summary>In the flow run's <c>job_variables.env</c>, under the standard variable names.</summary>
    Env,

    /// <summary>Not at all: the exchange only gates the run (the pipeline must be allowed to assume the role).</summary>
    None,
}
