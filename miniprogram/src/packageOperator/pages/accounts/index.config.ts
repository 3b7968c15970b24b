export default definePageConfig({ navigationBarTitleText: '账号与登录' });
