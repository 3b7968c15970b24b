export default defineAppConfig({
  pages: ['pages/home/index', 'pages/submit/index', 'pages/result/index', 'pages/mine/index', 'pages/detail/index', 'pages/lookup/index', 'pages/public/index'],
  // Role pages live in subpackages, so the main package stays small. packageStaff and packageOperator come next.
  subPackages: [
    { root: 'packageGrid', pages: ['pages/report/index', 'pages/drafts/index', 'pages/urgency/index'] },
    { root: 'packageStaff', pages: ['pages/inbox/index', 'pages/ticket/index', 'pages/action/index', 'pages/messages/index', 'pages/bind/index', 'pages/kb/index'] },
    { root: 'packageOperator', pages: ['pages/queue/index', 'pages/intake/index', 'pages/ticket/index', 'pages/board/index', 'pages/dashboard/index', 'pages/admin/index', 'pages/accounts/index', 'pages/poster/index', 'pages/messages/index', 'pages/briefing/index', 'pages/kb/index', 'pages/cases/index'] },
  ],
  window: {
    // h5: Taro shows its own title bar (title, back arrow, home when opened directly) only with
    // 'default' spelled out; weapp's native bar is 'default' anyway.
    navigationStyle: 'default',
    navigationBarTitleText: '码上反映',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f7',
  },
  permission: {
    'scope.userLocation': { desc: '用于记录您反映问题的位置' },
  },
  requiredPrivateInfos: ['chooseLocation'],
  // Grid workers' drafts wait for the network and upload by themselves.
  networkTimeout: { request: 20000, uploadFile: 120000 },
  lazyCodeLoading: 'requiredComponents',
});
