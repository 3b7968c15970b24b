export default definePageConfig({ navigationBarTitleText: '草稿箱与我的上报' });
