// Init Container and Sidecar: Apache httpd serves a static site from a volume it shares with two
// helpers. An init container clones the site before httpd starts (so the first request already
// finds it); a git-sync sidecar keeps it current while the pod runs. Everything runs as non-root
// with a read-only root filesystem.
import { App, Chart, Duration } from 'cdk8s';
import { ConfigResource, HealthCheck, NetworkPeer, PodVolume, StatelessService } from 'cdk8s-patterns';

const app = new App();
const chart = new Chart(app, 'website', { namespace: 'website' });

const REPO = 'https://github.com/mdn/beginner-html-site-styled.git';
const GIT_SYNC = 'registry.k8s.io/git-sync/git-sync:v4.2.4';

// httpd's stock configuration listens on port 80, which a non-root process cannot bind: this one
// listens on 8080 (the Service still answers on 80) and logs to the container's output.
const httpdConf = new ConfigResource(chart, 'httpd-conf', {
  data: {
    'httpd.conf': [
      'ServerRoot "/usr/local/apache2"',
      'Listen 8080',
      'LoadModule mpm_event_module modules/mod_mpm_event.so',
      'LoadModule authz_core_module modules/mod_authz_core.so',
      'LoadModule mime_module modules/mod_mime.so',
      'LoadModule log_config_module modules/mod_log_config.so',
      'LoadModule unixd_module modules/mod_unixd.so',
      'LoadModule dir_module modules/mod_dir.so',
      'ServerName localhost',
      'ErrorLog /proc/self/fd/2',
      'LogFormat "%h %l %u %t \\"%r\\" %>s %b" common',
      'CustomLog /proc/self/fd/1 common',
      'TypesConfig conf/mime.types',
      'DirectoryIndex index.html',
      // git-sync publishes each checkout through the symbolic link "current".
      'DocumentRoot "/srv/site/current"',
      '<Directory "/srv/site">',
      '  Require all granted',
      '</Directory>',
      '',
    ].join('\n'),
  },
});

const web = new StatelessService(chart, 'web', {
  image: 'httpd:2.4.62-alpine',
  port: 8080,
  network: {
    allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }], // the ingress controller's pods
    // The clone and the sidecar share the pod's NetworkPolicy: they fetch from GitHub over HTTPS.
    allowTo: [{ peer: NetworkPeer.cidr('0.0.0.0/0'), ports: [443] }],
  },
  servicePort: 80,
  replicas: 2,
  health: HealthCheck.http('/'),
  volumes: [
    PodVolume.emptyDir('site'),
    httpdConf.volume('httpd-conf'),
  ],
  mounts: [
    { volume: 'site', path: '/srv/site', readOnly: true },
    { volume: 'httpd-conf', path: '/usr/local/apache2/conf/httpd.conf', subPath: 'httpd.conf', readOnly: true },
  ],
  // httpd writes its pid file and mutexes under logs/: that directory alone becomes writable.
  writableDirectories: ['/usr/local/apache2/logs'],
});

// Init Container: the first checkout, before httpd starts.
web.addInitContainer({
  name: 'clone',
  image: GIT_SYNC,
  args: [`--repo=${REPO}`, '--ref=main', '--root=/git', '--link=current', '--one-time'],
  env: { HOME: '/tmp' },
  mounts: [{ volume: 'site', path: '/git' }],
});

// Sidecar: the same tool, polling every minute while httpd serves.
web.addContainer({
  name: 'sync',
  image: GIT_SYNC,
  args: [`--repo=${REPO}`, '--ref=main', '--root=/git', '--link=current', `--period=${Duration.minutes(1).toSeconds()}s`,
    '--http-bind=:8081'],
  env: { HOME: '/tmp' },
  mounts: [{ volume: 'site', path: '/git' }],
  port: 8081, // git-sync's health endpoint: healthy once a sync succeeded recently
  portName: 'sync-health',
  health: HealthCheck.http('/'),
});

app.synth();
