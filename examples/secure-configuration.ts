// Secure Configuration: a payments service whose credentials never appear in the YAML.
//
// - The database password lives in Vault. An ExternalSecret tells the External Secrets Operator
//   where it is; the operator fetches it and keeps the Secret `payments-db` current.
// - The payment provider's API key is sealed with `kubeseal` (only the Sealed Secrets controller
//   of the cluster can decrypt it) and committed as a SealedSecret; the controller makes the
//   Secret `payments-psp` from it.
//
// The service reads both as files, readable by its own user only: files are not inherited by child
// processes, not dumped with the environment, and follow a rotation (the kubelet updates them).
import { App, Chart, Duration } from 'cdk8s';
import {
  EnvVariable, ExternalSecret, ExternalSecretRefreshPolicy, HealthCheck, NetworkPeer, PodVolume, SealedSecret, SecretStoreKind,
  StatelessService,
} from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'payments', { namespace: 'payments' });

// The database credentials, from the ClusterSecretStore `vault` the platform team runs.
const db = new ExternalSecret(chart, 'payments-db', {
  appName: 'payments',
  secretStoreRef: { name: 'vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE },
  refreshPolicy: ExternalSecretRefreshPolicy.PERIODIC,
  refreshInterval: Duration.minutes(15),
  data: [
    { secretKey: 'username', remoteRef: { key: 'prod/payments/db', property: 'username' } },
    { secretKey: 'password', remoteRef: { key: 'prod/payments/db', property: 'password' } },
  ],
});

// The API key of the payment provider, sealed for this name and namespace (strict scope):
//   kubeseal --raw --name payments-psp --namespace payments --from-file=api-key.txt
// (This ciphertext is sealed for a throwaway demo key: seal your own with your cluster's certificate.)
const psp = new SealedSecret(chart, 'payments-psp', {
  appName: 'payments',
  encryptedData: {
    'api-key': [
      'AgBqYujpjNdjp5NiXfDCZo//6yhEeqkJWKmW+UFFfMJTBmQ2eXgAqkLonGluEW1Z5Bub9f/x1NmWl21Ij4hjKMrCFMrtEUMkeFT9',
      'jl7pTRLni37AxuaCs6cPM7Fl26/6C6a6Wj6AMOCtFy/RnEFwt8FGS9u0NZahGedCkvCH7br3vTej3UpYcLLt7pSjxjBCmCcKzITt',
      'v4qoO8ggCXx0VgWCciPVYEy/VxrZwZnM5RSF07hS0G41X13kJCGp8k/LqWXbKipqOim5iuaeyhbi8JhrPGxtaOYnHgSh5UXeuwxK',
      'IZwLZs3BmgMI7Op9B35rMid8Sn2+03IOvWM0ybGBM4RhdRC+oXcPfQUojGQoaUqhAjWODQyfWWfJEMOnuYI7rLKCODKzlyeALS4y',
      'aDXfEoWmCf/Hp54QmzQLrc/vLMhVNf40FNOzs7STr8zMOe+2h43sN/xCJwov6vXOAIG6Jyjanufovzj/WH8pyZgtQYuiuSfF1enw',
      'sB/PvSBZxACaDfpphgUVebbW24cNimdegx3ubwGOKkfNWWtimZNKChyjkS9oK63ajwdvInrqIf4yHH+06MhS4U6NEwWC0gGrAJCh',
      'mwa3dqH2ol5BeUPYSos8PqpReNN+Xxcpap1C2oQ+zm5Q7UNmjk4Tjj56EsD1rRTLri8Vn8p9gh38Q9dmUrBb4bn6cr7MHqvoZH+w',
      'zv5zokKivDS04ehKc0Y81edEAWXQ/1aX4cWq8ejITsxQWkugoHWB/m5kYigpsovqN64loMM=',
    ].join(''),
  },
});

new StatelessService(chart, 'payments', {
  image: 'ghcr.io/acme/payments:4.2.0',
  port: 8080,
  replicas: 3,
  health: HealthCheck.http('/healthz'),
  volumes: [
    // The Secret the ExternalSecret makes, by name: only the password, as a file for the app's user.
    PodVolume.secret('db-credentials', db.secretName, { items: [{ key: 'password', path: 'password', mode: 0o400 }] }),
    // The same through the construct, whose keys are known: a missing key fails at synth.
    psp.volume('psp', { items: [{ key: 'api-key', path: 'api-key', mode: 0o400 }] }),
  ],
  mounts: [
    { volume: 'db-credentials', path: '/var/run/secrets/payments/db', readOnly: true },
    { volume: 'psp', path: '/var/run/secrets/payments/psp', readOnly: true },
  ],
  network: {
    // Called by the shop's checkout (its own namespace); calls its managed database and the
    // payment provider's API.
    allowFrom: [{ peer: NetworkPeer.namespace('checkout'), ports: [8080] }],
    allowTo: [
      { peer: NetworkPeer.cidr('10.20.0.0/24'), ports: [5432] },
      { peer: NetworkPeer.cidr('203.0.113.0/24'), ports: [443] },
    ],
  },
  env: { DB_HOST: 'payments.db.internal.example.com', DB_NAME: 'payments' },
  envVariables: [
    // Where the secrets are, never what they are.
    EnvVariable.literal('DB_PASSWORD_FILE', '/var/run/secrets/payments/db/password'),
    EnvVariable.literal('PSP_API_KEY_FILE', '/var/run/secrets/payments/psp/api-key'),
  ],
});

app.synth();
